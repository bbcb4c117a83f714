package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and failures: one clear line, the right exit code, never a stack trace. */
class CliErrorsTest {
  @TempDir Path dir;

  private static void oneLine(CliRun r) {
    assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in");
  }

  @Test
  void unknownOutputFormatIsBadInput() {
    CliRun r = CliRun.of("nodes", "-o", "xml", "--tls-dir", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--output: expected text, json or yaml, got 'xml'");
    oneLine(r);
  }

  /**
   * Every read command takes -o text|json|yaml from the one OutputOptions mixin: xml is refused
   * before anything is contacted, yaml is accepted (the run then fails on the missing certificate).
   */
  @Test
  void everyReadCommandTakesYamlAndRefusesOtherFormats() {
    String spec = Path.of("../examples/lab.yaml").toAbsolutePath().normalize().toString();
    for (String[] cmd : new String[][] {{"nodes"}, {"status"}, {"history"}, {"plan", "-f", spec}}) {
      String none = dir.resolve("none").toString();
      CliRun xml = CliRun.of(concat(cmd, "-o", "xml", "--tls-dir", none, "--coordinator", "127.0.0.1:1"));
      assertThat(xml.code()).as(String.join(" ", cmd) + xml.err()).isEqualTo(2);
      assertThat(xml.err()).as(cmd[0]).contains("--output: expected text, json or yaml, got 'xml'");
      CliRun yaml = CliRun.of(concat(cmd, "-o", "yaml", "--tls-dir", none, "--coordinator", "127.0.0.1:1"));
      assertThat(yaml.err()).as(cmd[0]).doesNotContain("--output").contains("TLS file not found");
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void missingCertificatesAreBadInputWithTheFix() {
    CliRun r = CliRun.of("nodes", "--tls-dir", dir.resolve("none").toString(), "--coordinator", "127.0.0.1:1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("brickyard: TLS file not found or not readable: ").contains("brickyard certs init");
    oneLine(r);
  }

  @Test
  void coordinatorDownIsAFailureInOneLine() throws Exception {
    assertThat(CliRun.of("certs", "init", "--ca-dir", dir.resolve("ca").toString()).code()).isZero();
    assertThat(CliRun.of("certs", "issue", "admin", "--role", "admin", "--ca-dir", dir.resolve("ca").toString(), "--out", dir.toString()).code()).isZero();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CliRun r = CliRun.of("nodes", "--tls-dir", dir.toString(), "--coordinator", "127.0.0.1:" + closedPort, "--timeout", "5");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("brickyard: cannot reach the coordinator at 127.0.0.1:" + closedPort + ": ");
    oneLine(r);
  }

  @Test
  void aSpecOpeningTheFirewallToEveryoneIsBadInputNamingTheField() throws Exception {
    Path spec = dir.resolve("open.yaml");
    Files.writeString(spec, "apiVersion: brickyard/v1\nkind: Cluster\nmetadata: {name: t}\nnodes: [{name: n1}]\n"
        + "firewall: {trustedSources: [10.0.0.0/8, 0.0.0.0/0]}\n");
    CliRun r = CliRun.of("validate", "-f", spec.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("firewall.trustedSources[1]").contains("0.0.0.0/0 is every IPv4 address");
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in");
  }

  @Test
  void aMistypedCommandGetsSuggestions() {
    CliRun r = CliRun.of("nodez");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument at index 0: 'nodez'").contains("Did you mean").contains("nodes");
  }

  @Test
  void missingLocalSocketIsAFailureNamingIt() {
    Path sock = dir.resolve("nope.sock");
    CliRun r = CliRun.of("history", "--coordinator", "unix:" + sock, "--timeout", "5");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("brickyard: cannot reach the coordinator at unix:" + sock + ": no such socket");
    oneLine(r);
  }

  @Test
  void certsIssueValidatesRoleAndNeedsACa() {
    CliRun noCa = CliRun.of("certs", "issue", "gluster1", "--ca-dir", dir.resolve("ca").toString(), "--out", dir.toString());
    assertThat(noCa.code()).isEqualTo(2);
    assertThat(noCa.err()).contains("no cluster CA in").contains("brickyard certs init");
    CliRun.of("certs", "init", "--ca-dir", dir.resolve("ca").toString());
    CliRun badRole = CliRun.of("certs", "issue", "gluster1", "--role", "root", "--ca-dir", dir.resolve("ca").toString(), "--out", dir.toString());
    assertThat(badRole.code()).isEqualTo(2);
    assertThat(badRole.err()).contains("--role: expected node, coordinator or admin, got 'root'");
    CliRun again = CliRun.of("certs", "init", "--ca-dir", dir.resolve("ca").toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("a cluster CA already exists");
  }

  @Test
  void certsIssueWritesFilesWithSans() throws Exception {
    CliRun.of("certs", "init", "--ca-dir", dir.resolve("ca").toString());
    CliRun r = CliRun.of("certs", "issue", "gluster1", "--san", "10.0.0.5,gluster1.lan", "--ca-dir", dir.resolve("ca").toString(), "--out", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("issued node certificate " + dir.resolve("gluster1.crt"));
    assertThat(Files.exists(dir.resolve("gluster1.key"))).isTrue();
  }

  @Test
  void unknownLabHostIsBadInput() {
    CliRun r = CliRun.of("lab", "--lab-dir", dir.toString(), "exec", "gluster7", "--", "true");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown lab host 'gluster7'");
    oneLine(r);
  }

  @Test
  void unknownSubcommandIsUsageError() {
    CliRun r = CliRun.of("frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument");
  }
}
