package io.brickyard.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertAuthorityTest {
  @TempDir Path dir;

  private static X509Certificate read(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void issuesCertificatesSignedByTheCaWithSansRoleAndPrivateKeys() throws Exception {
    CertAuthority ca = CertAuthority.init(dir, "c1", Duration.ofDays(10));
    ca.issue(dir, "gluster1", Role.NODE, List.of("10.77.0.11", "gluster1.example"), Duration.ofDays(5));
    X509Certificate cert = read(dir.resolve("gluster1.crt"));
    cert.verify(read(dir.resolve("ca.crt")).getPublicKey());
    assertThat(cert.getSubjectX500Principal().getName()).contains("OU=node").contains("CN=gluster1");
    assertThat(cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList())
        .containsExactly("gluster1", "10.77.0.11", "gluster1.example");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("gluster1.key")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("gluster1.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void neverOverwritesAnExistingCa() throws Exception {
    CertAuthority.init(dir, "c1", Duration.ofDays(10));
    assertThatThrownBy(() -> CertAuthority.init(dir, "c1", Duration.ofDays(10)))
        .hasMessageContaining("a cluster CA already exists");
  }

  @Test
  void loadsAnExistingCaAndRejectsBadNames() throws Exception {
    CertAuthority.init(dir, "c1", Duration.ofDays(10));
    CertAuthority ca = CertAuthority.load(dir);
    assertThatThrownBy(() -> ca.issue(dir, "../evil", Role.ADMIN, List.of(), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid certificate name");
    assertThatThrownBy(() -> CertAuthority.load(dir.resolve("none"))).hasMessageContaining("brickyard certs init");
  }

  @Test
  void missingTlsFilesGiveOneActionableLine() {
    assertThatThrownBy(() -> TlsFiles.inDir(dir, "admin").check())
        .isInstanceOf(TlsFiles.TlsConfigException.class)
        .hasMessageContaining("TLS file not found or not readable").hasMessageContaining("brickyard certs init");
  }

  @Test
  void refusesNamesThatWouldWriteOverTheCaFiles() throws Exception {
    CertAuthority ca = CertAuthority.init(dir, "c1", Duration.ofDays(10));
    String caKey = Files.readString(dir.resolve("ca.key"));
    for (String name : List.of("ca", "CA", "ca.example", "Ca.crt")) {
      assertThatThrownBy(() -> ca.issue(dir, name, Role.ADMIN, List.of(), Duration.ofDays(1)))
          .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved for the cluster CA");
    }
    assertThat(Files.readString(dir.resolve("ca.key"))).isEqualTo(caKey);
    ca.issue(dir, "cassandra", Role.NODE, List.of(), Duration.ofDays(1)); // only 'ca' and 'ca.*' are reserved
  }
}
