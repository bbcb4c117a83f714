package io.brickyard.deploy;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A one-call gRPC client the systemd tier runs inside the container's network namespace
 * ({@code nsenter -n}: the agent listens on the container's own loopback, unreachable from the
 * test JVM). Prints the response as JSON, or {@code ERROR CODE description} and exits 3.
 *
 * <pre>AgentCall HOST:PORT TLS_DIR NAME facts
 * AgentCall HOST:PORT TLS_DIR NAME ensure UNIT RUNNING ENABLED</pre>
 */
public final class AgentCall {
  private AgentCall() {}

  public static void main(String[] a) throws Exception {
    ManagedChannel ch = Grpc.newChannelBuilder(a[0], TlsFiles.inDir(Path.of(a[1]), a[2]).channelCredentials())
        .overrideAuthority("localhost").build();
    try {
      MessageOrBuilder r = switch (a[3]) {
        case "facts" -> FactsServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
            .getFacts(GetFactsRequest.getDefaultInstance());
        case "ensure" -> ServiceManagerServiceGrpc.newBlockingStub(ch).withDeadlineAfter(180, TimeUnit.SECONDS)
            .ensureService(EnsureServiceRequest.newBuilder().setUnit(a[4]).setRunning(Boolean.parseBoolean(a[5]))
                .setEnabled(Boolean.parseBoolean(a[6])).build());
        default -> throw new IllegalArgumentException("unknown call " + a[3]);
      };
      System.out.println(JsonFormat.printer().includingDefaultValueFields().print(r));
    } catch (StatusRuntimeException e) {
      System.out.println("ERROR " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
      System.exit(3);
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
