package io.brickyard.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.AgentServer;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent server over real TLS on loopback: who gets in and who does not. */
class AgentMtlsTest {
  @TempDir static Path dir;
  static AgentServer server;
  static MetricsEndpoint metrics;
  static Path cluster;
  static Path other;

  @BeforeAll
  static void start() throws Exception {
    cluster = dir.resolve("cluster");
    other = dir.resolve("other");
    CertAuthority ca = CertAuthority.init(cluster, "test", Duration.ofDays(1));
    ca.issue(cluster, "node", Role.NODE, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(cluster, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
    ca.issue(cluster, "gluster2", Role.NODE, List.of(), Duration.ofDays(1));
    CertAuthority rogue = CertAuthority.init(other, "rogue", Duration.ofDays(1));
    rogue.issue(other, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
    metrics = new MetricsEndpoint("test");
    ProcessRunner runner = new ProcessRunner();
    AgentContext ctx = new AgentContext(runner, ServiceBackend.named("systemd", runner),
        new AgentContext.Paths(dir.resolve("fstab"), dir.resolve("state")), metrics.registry());
    server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), TlsFiles.inDir(cluster, "node"), ctx, metrics);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    metrics.close();
  }

  private static ManagedChannel channel(ChannelCredentials creds) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), creds).build();
  }

  private static NodeFacts facts(ChannelCredentials creds) throws InterruptedException {
    ManagedChannel ch = channel(creds);
    try {
      return FactsServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
          .getFacts(GetFactsRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void adminWithClusterCertificateIsServed() throws Exception {
    NodeFacts f = facts(TlsFiles.inDir(cluster, "admin").channelCredentials());
    assertThat(f.getHostname()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
    assertThat(f.getKernel()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    ChannelCredentials noCert = TlsChannelCredentials.newBuilder().trustManager(cluster.resolve("ca.crt").toFile())
        .build();
    assertThatThrownBy(() -> facts(noCert)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void certificateFromAnotherCaIsRefused() throws Exception {
    // Trusts our CA for the server, but presents a client certificate signed by a rogue CA.
    ChannelCredentials rogue = TlsChannelCredentials.newBuilder()
        .keyManager(other.resolve("admin.crt").toFile(), other.resolve("admin.key").toFile())
        .trustManager(cluster.resolve("ca.crt").toFile()).build();
    assertThatThrownBy(() -> facts(rogue)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void nodeCertificateMayNotDriveAnotherAgentButMayProbeHealth() throws Exception {
    ChannelCredentials node = TlsFiles.inDir(cluster, "gluster2").channelCredentials();
    assertThatThrownBy(() -> facts(node)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(e.getStatus().getDescription()).contains("certificate role node may not call brickyard.agent.v1.FactsService");
    });
    ManagedChannel ch = channel(node);
    try {
      assertThat(HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void rpcMetricsAreRecordedByMethodAndCode() throws Exception {
    facts(TlsFiles.inDir(cluster, "admin").channelCredentials());
    assertThat(metrics.registry().scrape())
        .contains("test_rpc_seconds_count{code=\"OK\",method=\"brickyard.agent.v1.FactsService/GetFacts\"}");
  }
}
