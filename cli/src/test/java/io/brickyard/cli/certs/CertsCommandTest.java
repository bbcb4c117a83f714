package io.brickyard.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.cli.CliRun;
import io.brickyard.cli.UserException;
import io.brickyard.common.tls.RevocationList;
import io.brickyard.common.tls.TlsFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** brickyard certs: the CA key stays in a directory of its own; the CA's files cannot be overwritten; revoke. */
class CertsCommandTest {
  @TempDir Path dir;

  private Path ca() {
    return dir.resolve("ca");
  }

  private CliRun init() {
    return CliRun.of("certs", "init", "--ca-dir", ca().toString());
  }

  private CliRun issue(String name, Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("certs", "issue", name, "--ca-dir", ca().toString(),
        "--out", out.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static X509Certificate read(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void issuingTheNameCaIsRefusedAndTheCaKeyIsUntouched() throws Exception {
    assertThat(init().code()).isZero();
    String key = Files.readString(ca().resolve("ca.key"));
    for (String name : List.of("ca", "ca.backup")) {
      for (Path out : List.of(ca(), dir.resolve("tls"))) {
        CliRun r = issue(name, out, "--role", "admin");
        assertThat(r.code()).as(name + " into " + out).isEqualTo(2);
      }
    }
    assertThat(issue("ca", dir.resolve("tls")).err()).contains("reserved for the cluster CA");
    assertThat(Files.readString(ca().resolve("ca.key"))).isEqualTo(key);
  }

  @Test
  void theCaGetsA0700DirectoryAndIssuedPairsGoElsewhereWithCaCrtOnly() throws Exception {
    CliRun r = init();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ca()))).isEqualTo("rwx------");
    Path tls = dir.resolve("tls");
    assertThat(issue("gluster1", tls, "--san", "10.0.0.11").code()).isZero();
    assertThat(tls.resolve("gluster1.crt")).exists();
    assertThat(tls.resolve("gluster1.key")).exists();
    assertThat(tls.resolve("ca.crt")).exists();
    assertThat(tls.resolve("ca.key")).doesNotExist();
    assertThat(ca().resolve("gluster1.key")).doesNotExist();
  }

  @Test
  void theCaKeyIsNeverWrittenWhereADaemonKeepsItsKey() throws Exception {
    Path agentDir = Files.createDirectories(dir.resolve("agent-tls"));
    Files.writeString(agentDir.resolve("agent.key"), "x");
    CliRun r = CliRun.of("certs", "init", "--ca-dir", agentDir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("refusing to write ca.key").contains("agent.key");
    assertThat(agentDir.resolve("ca.key")).doesNotExist();

    Path nodeDir = Files.createDirectories(dir.resolve("node-tls"));
    Files.writeString(nodeDir.resolve("gluster1.crt"), "x");
    assertThat(CliRun.of("certs", "init", "--ca-dir", nodeDir.toString()).code()).isEqualTo(2);
    assertThat(nodeDir.resolve("ca.key")).doesNotExist();
  }

  @Test
  void theDaemonsTlsDirectoriesBuiltInAndConfiguredAreRefusedAsCaDirectories() throws Exception {
    Path configured = dir.resolve("srv-tls");
    Path sysconfig = Files.writeString(dir.resolve("brickyard-coordinator"),
        "# comment\nBRICKYARD_COORDINATOR_TLS_DIR=\"" + configured + "\"\n");
    CaDirPolicy policy = new CaDirPolicy(Map.of("BRICKYARD_COORDINATOR_TLS_DIR", List.of(sysconfig, dir.resolve("none"))));
    assertThatThrownBy(() -> policy.checkCaDir(configured)).isInstanceOf(UserException.class)
        .hasMessageContaining("is a daemon's TLS directory");
    assertThatThrownBy(() -> policy.checkCaDir(Path.of("/etc/brickyard/tls/"))).isInstanceOf(UserException.class)
        .hasMessageContaining("is a daemon's TLS directory");
    assertThatThrownBy(() -> policy.checkCaDir(Path.of("/etc/brickyard/./tls"))).isInstanceOf(UserException.class);
    policy.checkCaDir(Path.of(CaDirPolicy.DEFAULT_CA_DIR));
    policy.checkCaDir(dir.resolve("ca"));
  }

  @Test
  void theDefaultsKeepTheCaOutOfTheDaemonsTlsDirectory() {
    var cl = io.brickyard.cli.BrickyardCli.commandLine().getSubcommands().get("certs");
    for (String sub : List.of("init", "issue", "revoke")) {
      assertThat(cl.getSubcommands().get(sub).getCommandSpec().findOption("--ca-dir").defaultValue())
          .as(sub).isEqualTo("/etc/brickyard/ca");
    }
    assertThat(cl.getSubcommands().get("issue").getCommandSpec().findOption("--out").defaultValue())
        .isEqualTo("/etc/brickyard/tls");
  }

  @Test
  void issuingIntoTheCaDirectoryOrBesideACaKeyIsRefused() throws Exception {
    init();
    CliRun intoCa = issue("gluster1", ca());
    assertThat(intoCa.code()).isEqualTo(2);
    assertThat(intoCa.err()).contains("is the CA directory");
    assertThat(ca().resolve("gluster1.key")).doesNotExist();

    Path oldLayout = Files.createDirectories(dir.resolve("old-tls"));
    Files.copy(ca().resolve("ca.key"), oldLayout.resolve("ca.key"));
    CliRun besideKey = issue("gluster1", oldLayout);
    assertThat(besideKey.code()).isEqualTo(2);
    assertThat(besideKey.err()).contains("holds ca.key").contains("mv ");
    assertThat(oldLayout.resolve("gluster1.key")).doesNotExist();
  }

  @Test
  void revokeByNameOrSerialWritesASignedCrlAndSaysWhereToCopyIt() throws Exception {
    init();
    Path admins = dir.resolve("admins");
    issue("alice", admins, "--role", "admin");
    issue("bob", admins, "--role", "admin");
    issue("carol", admins, "--role", "admin");
    X509Certificate alice = read(admins.resolve("alice.crt"));
    X509Certificate bob = read(admins.resolve("bob.crt"));
    X509Certificate carol = read(admins.resolve("carol.crt"));

    CliRun byName = CliRun.of("certs", "revoke", "alice", "--ca-dir", ca().toString());
    assertThat(byName.code()).as(byName.err()).isZero();
    assertThat(byName.out()).contains("revoked: serial " + RevocationList.serialHex(alice.getSerialNumber()))
        .contains(ca().resolve("ca.crl").toString()).contains("/etc/brickyard/tls/ca.crl");
    CliRun bySerial = CliRun.of("certs", "revoke", "--serial", bob.getSerialNumber().toString(16).toUpperCase(),
        "--ca-dir", ca().toString());
    assertThat(bySerial.code()).as(bySerial.err()).isZero();

    Files.copy(ca().resolve("ca.crl"), admins.resolve("ca.crl"));
    RevocationList crl = TlsFiles.inDir(admins, "carol").revocationList();
    assertThat(crl.revoked(alice)).isPresent();
    assertThat(crl.revoked(bob)).isPresent();
    assertThat(crl.revoked(carol)).isEmpty();

    CliRun unknown = CliRun.of("certs", "revoke", "mallory", "--ca-dir", ca().toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no certificate issued to 'mallory'");
    assertThat(CliRun.of("certs", "revoke", "--serial", "-1", "--ca-dir", ca().toString()).code()).isEqualTo(2);
  }
}
