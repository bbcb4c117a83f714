package io.brickyard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.api.coordinator.v1.ListNodesResponse;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's API server as CoordinatorMain sets it up, over real mTLS on loopback: an admin
 * certificate revoked by the cluster CA is refused once ca.crl changes, without a restart, while
 * another admin's certificate keeps working.
 */
class CoordinatorRevocationTest {
  @TempDir Path dir;

  private static BigInteger serial(Path crt) throws Exception {
    try (InputStream in = Files.newInputStream(crt)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
    }
  }

  private static int nodes(ManagedChannel ch) {
    return CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
        .listNodes(ListNodesRequest.getDefaultInstance()).getNodesCount();
  }

  @Test
  void aRevokedAdminIsRefusedAfterTheCrlChangesWithoutRestart() throws Exception {
    Path caDir = dir.resolve("ca");
    Path tls = dir.resolve("coordinator-tls");
    Path admins = dir.resolve("admins");
    CertAuthority ca = CertAuthority.init(caDir, "test", Duration.ofDays(1));
    ca.issue(tls, "coordinator", Role.COORDINATOR, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(admins, "alice", Role.ADMIN, List.of(), Duration.ofDays(1));
    ca.issue(admins, "bob", Role.ADMIN, List.of(), Duration.ofDays(1));
    CoordinatorServiceGrpc.CoordinatorServiceImplBase api = new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
      @Override
      public void listNodes(ListNodesRequest req, StreamObserver<ListNodesResponse> out) {
        out.onNext(ListNodesResponse.getDefaultInstance());
        out.onCompleted();
      }
    };
    TlsFiles coordinator = TlsFiles.inDir(tls, "coordinator");
    ServerInterceptor noMetrics = new ServerInterceptor() {
      @Override
      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata h,
          io.grpc.ServerCallHandler<Q, R> next) {
        return next.startCall(call, h);
      }
    };
    Server server = CoordinatorMain.startApi(new InetSocketAddress("127.0.0.1", 0), coordinator,
        coordinator.revocationList(), api, new HealthStatusManager(), noMetrics);
    ManagedChannel alice = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
        TlsFiles.inDir(admins, "alice").channelCredentials()).build();
    ManagedChannel bob = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
        TlsFiles.inDir(admins, "bob").channelCredentials()).build();
    ManagedChannel aliceAgain = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
        TlsFiles.inDir(admins, "alice").channelCredentials()).build();
    try {
      assertThat(nodes(alice)).isZero();

      ca.revoke(List.of(serial(admins.resolve("alice.crt"))));
      Files.copy(ca.crlFile(), tls.resolve("ca.crl"), StandardCopyOption.REPLACE_EXISTING);

      assertThatThrownBy(() -> nodes(alice)).as("on the connection opened before")
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).contains("CN=alice").contains("revoked");
          });
      assertThatThrownBy(() -> nodes(aliceAgain)).as("a new connection fails the handshake")
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(nodes(bob)).as("an unrevoked admin certificate still works").isZero();
    } finally {
      for (ManagedChannel ch : List.of(alice, bob, aliceAgain)) {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
