package io.brickyard.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.AgentServer;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
 * A revoked coordinator certificate against the real agent server over real mTLS on loopback:
 * refused once the CRL file on the node changes, without restarting the agent, also on the
 * connection it opened before; an unrevoked coordinator certificate keeps working.
 */
class AgentRevocationTest {
  @TempDir Path dir;

  private static BigInteger serial(Path crt) throws Exception {
    try (InputStream in = Files.newInputStream(crt)) {
      return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
    }
  }

  private static String hostname(ManagedChannel ch) {
    return FactsServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
        .getFacts(GetFactsRequest.getDefaultInstance()).getHostname();
  }

  @Test
  void aRevokedCoordinatorIsRefusedAfterTheCrlChangesWithoutRestart() throws Exception {
    Path caDir = dir.resolve("ca");
    Path node = dir.resolve("node-tls");
    Path coord = dir.resolve("coordinator-tls");
    CertAuthority ca = CertAuthority.init(caDir, "test", Duration.ofDays(1));
    ca.issue(node, "node", Role.NODE, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(coord, "coordinator", Role.COORDINATOR, List.of(), Duration.ofDays(1));
    ca.issue(coord, "coordinator2", Role.COORDINATOR, List.of(), Duration.ofDays(1));
    MetricsEndpoint metrics = new MetricsEndpoint("test");
    ProcessRunner runner = new ProcessRunner();
    AgentContext ctx = new AgentContext(runner, ServiceBackend.named("systemd", runner),
        new AgentContext.Paths(dir.resolve("fstab"), dir.resolve("state")), metrics.registry());
    AgentServer server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), TlsFiles.inDir(node, "node"), ctx, metrics);
    ManagedChannel before = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
        TlsFiles.inDir(coord, "coordinator").channelCredentials()).build();
    ManagedChannel other = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
        TlsFiles.inDir(coord, "coordinator2").channelCredentials()).build();
    ManagedChannel after = null;
    try {
      assertThat(hostname(before)).isNotEmpty();

      ca.revoke(List.of(serial(coord.resolve("coordinator.crt"))));
      Files.copy(ca.crlFile(), node.resolve("ca.crl"), StandardCopyOption.REPLACE_EXISTING);

      assertThatThrownBy(() -> hostname(before)).as("call on the connection opened before the revocation")
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).contains("CN=coordinator").contains("revoked");
          });
      after = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
          TlsFiles.inDir(coord, "coordinator").channelCredentials()).build();
      ManagedChannel fresh = after;
      assertThatThrownBy(() -> hostname(fresh)).as("a new connection fails the handshake")
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(hostname(other)).as("an unrevoked coordinator certificate still works").isNotEmpty();
    } finally {
      before.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      if (after != null) {
        after.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      server.close();
      metrics.close();
    }
  }
}
