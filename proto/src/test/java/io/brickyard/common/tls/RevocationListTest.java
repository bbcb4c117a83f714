package io.brickyard.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's CRL as certs revoke writes it and as the daemons read it (JDK only), file changes included. */
class RevocationListTest {
  @TempDir Path dir;

  private static X509Certificate read(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void revokedSerialsAreListedAndAChangedFileIsReadAgain() throws Exception {
    Path caDir = dir.resolve("ca");
    Path tls = dir.resolve("tls");
    CertAuthority ca = CertAuthority.init(caDir, "t", Duration.ofDays(10));
    ca.issue(tls, "alice", Role.ADMIN, List.of(), Duration.ofDays(1));
    ca.issue(tls, "bob", Role.ADMIN, List.of(), Duration.ofDays(1));
    X509Certificate alice = read(tls.resolve("alice.crt"));
    X509Certificate bob = read(tls.resolve("bob.crt"));
    assertThat(ca.issued()).extracting(X509Certificate::getSerialNumber)
        .containsExactlyInAnyOrder(alice.getSerialNumber(), bob.getSerialNumber());

    RevocationList list = TlsFiles.inDir(tls, "alice").revocationList(); // no ca.crl yet: nothing revoked
    assertThat(list.revoked(alice)).isEmpty();

    ca.revoke(List.of(alice.getSerialNumber()));
    Files.copy(ca.crlFile(), tls.resolve("ca.crl"));
    assertThat(list.revoked(alice)).hasValueSatisfying(s -> assertThat(s).contains("CN=alice").contains("revoked"));
    assertThat(list.revoked(bob)).isEmpty();

    ca.revoke(List.of(bob.getSerialNumber()));
    Files.copy(ca.crlFile(), tls.resolve("ca.crl"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(list.revoked(bob)).isPresent();
    assertThat(list.revoked(alice)).isPresent();
    assertThat(ca.revokedSerials()).containsExactlyInAnyOrder(alice.getSerialNumber(), bob.getSerialNumber());
  }

  @Test
  void aCrlSignedByAnotherCaIsRefusedAtStartAndIgnoredOnReload() throws Exception {
    CertAuthority ca = CertAuthority.init(dir.resolve("ca"), "t", Duration.ofDays(10));
    CertAuthority rogue = CertAuthority.init(dir.resolve("rogue"), "t", Duration.ofDays(10));
    Path tls = dir.resolve("tls");
    ca.issue(tls, "alice", Role.ADMIN, List.of(), Duration.ofDays(1));
    X509Certificate alice = read(tls.resolve("alice.crt"));
    rogue.revoke(List.of());
    Files.copy(rogue.crlFile(), tls.resolve("ca.crl"));
    assertThatThrownBy(() -> TlsFiles.inDir(tls, "alice").revocationList())
        .isInstanceOf(TlsFiles.TlsConfigException.class).hasMessageContaining("ca.crl");

    ca.revoke(List.of(alice.getSerialNumber()));
    Files.copy(ca.crlFile(), tls.resolve("ca.crl"), StandardCopyOption.REPLACE_EXISTING);
    RevocationList list = TlsFiles.inDir(tls, "alice").revocationList();
    assertThat(list.revoked(alice)).isPresent();
    Files.writeString(tls.resolve("ca.crl"), "-----BEGIN X509 CRL-----\nhalf a copy\n");
    assertThat(list.revoked(alice)).as("a broken new file does not lift revocations").isPresent();
  }

  @Test
  void aClientWithTheCrlRefusesARevokedServerCertificate() throws Exception {
    CertAuthority ca = CertAuthority.init(dir.resolve("ca"), "t", Duration.ofDays(10));
    Path node = dir.resolve("node");
    Path coord = dir.resolve("coordinator");
    ca.issue(node, "node", Role.NODE, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(coord, "coordinator", Role.COORDINATOR, List.of(), Duration.ofDays(1));
    io.grpc.Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0),
            TlsFiles.inDir(node, "node").serverCredentials(RevocationList.none()))
        .addService(new io.grpc.protobuf.services.HealthStatusManager().getHealthService()).build().start();
    TlsFiles client = TlsFiles.inDir(coord, "coordinator");
    RevocationList crl = client.revocationList();
    try {
      assertThat(health(server.getPort(), client.channelCredentials(crl))).isEqualTo(io.grpc.Status.Code.OK);
      ca.revoke(List.of(read(node.resolve("node.crt")).getSerialNumber()));
      Files.copy(ca.crlFile(), coord.resolve("ca.crl"));
      assertThat(health(server.getPort(), client.channelCredentials(crl))).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
    } finally {
      server.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static io.grpc.Status.Code health(int port, io.grpc.ChannelCredentials creds) throws Exception {
    io.grpc.ManagedChannel ch = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build();
    try {
      io.grpc.health.v1.HealthGrpc.newBlockingStub(ch).withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
          .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
      return io.grpc.Status.Code.OK;
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      ch.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
