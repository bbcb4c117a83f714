package io.brickyard.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.NodeFacts;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

/** The role gate on a transport without TLS (what the insecure debug mode used to slip through). */
class RoleAuthorizerTest {

  @Test
  void aCallWithoutTlsSessionIsRefusedNotWaved() throws Exception {
    String name = InProcessServerBuilder.generateName();
    FactsServiceGrpc.FactsServiceImplBase facts = new FactsServiceGrpc.FactsServiceImplBase() {
      @Override
      public void getFacts(GetFactsRequest req, StreamObserver<NodeFacts> out) {
        out.onNext(NodeFacts.newBuilder().setHostname("served").build());
        out.onCompleted();
      }
    };
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(facts, new RoleAuthorizer(RevocationList.none(), Role.ADMIN)))
        .build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      assertThatThrownBy(() -> FactsServiceGrpc.newBlockingStub(ch).getFacts(GetFactsRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).contains("mutual TLS");
          });
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
  }
}
