package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation end to end on real software: `brickyard lab up --nodes 2` (namespaces, loop disks,
 * dbus, firewalld, rpcbind, glusterd, agents, coordinator), then `brickyard nodes`, then the
 * security checks against a real agent, then `lab down` leaving nothing behind.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabE2ETest {
  static final Path LAB = Path.of("/var/lib/brickyard-lab-test");
  @TempDir static Path tmp;

  @BeforeAll
  static void up() {
    CliRun r = CliRun.of("lab", "--lab-dir", LAB.toString(), "up", "--nodes", "2");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  @AfterAll
  static void down() {
    CliRun r = CliRun.of("lab", "--lab-dir", LAB.toString(), "down");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  @Test
  @Order(1)
  void nodesListsBothWithTwoAvailableDisksAndRunningServices() {
    CliRun r = CliRun.of("nodes", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonArray nodes = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("nodes");
    assertThat(nodes).hasSize(2);
    for (JsonElement e : nodes) {
      JsonObject n = e.getAsJsonObject();
      assertThat(n.get("reachable").getAsBoolean()).isTrue();
      assertThat(n.getAsJsonObject("facts").get("hostname").getAsString()).isEqualTo(n.get("name").getAsString());
      JsonArray devices = n.getAsJsonArray("devices");
      assertThat(devices).extracting(d -> d.getAsJsonObject().get("path").getAsString()).containsExactly("/dev/sdb", "/dev/sdc");
      assertThat(devices).allSatisfy(d -> assertThat(d.getAsJsonObject().get("available").getAsBoolean()).isTrue());
      for (String unit : List.of("glusterd", "firewalld", "rpcbind")) {
        JsonObject svc = n.getAsJsonObject("facts").getAsJsonArray("services").asList().stream()
            .map(JsonElement::getAsJsonObject).filter(s -> s.get("unit").getAsString().equals(unit)).findFirst().orElseThrow();
        assertThat(svc.get("active").getAsBoolean()).as(unit + " on " + n.get("name")).isTrue();
      }
    }
    CliRun text = CliRun.of("nodes");
    assertThat(text.out()).contains("gluster1").contains("gluster2").contains("/dev/sdb").contains("available");
  }

  @Test
  @Order(2)
  void theCliReachesTheCoordinatorOverItsAdminSocketAndOverMutualTls() throws Exception {
    Path sock = LAB.resolve("admin").resolve("coordinator.sock");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent()))).isEqualTo("rwx------");
    CliRun local = CliRun.of("nodes", "--coordinator", "unix:" + sock);
    assertThat(local.code()).as(local.err()).isZero();
    assertThat(local.out()).contains("gluster1").contains("reachable");
    CliRun tls = CliRun.of("nodes", "--coordinator", "127.0.0.1:7444", "--tls-dir", LAB.resolve("tls").toString());
    assertThat(tls.code()).as(tls.err()).isZero();
    // Same answer both ways; only the measured latency per node differs.
    assertThat(tls.out().replaceAll("\\(\\d+ ms\\)", "")).isEqualTo(local.out().replaceAll("\\(\\d+ ms\\)", ""));
  }

  @Test
  @Order(2)
  void labExecRunsInsideTheHost() throws Exception {
    Path outFile = tmp.resolve("peer-status.txt");
    // exec inherits stdio, so run it as a child process to capture what it prints.
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), BrickyardCli.class.getName(), "lab", "--lab-dir", LAB.toString(), "exec",
        "gluster2", "--", "hostname")).redirectOutput(outFile.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(outFile).strip()).isEqualTo("gluster2");
  }

  /**
   * Two client hosts, on either side of examples/lab-nfs.yaml's export network 10.77.0.0/25:
   * client at .100, client2 at .200, both on the lab network (client2 reaches client).
   */
  @Test
  @Order(2)
  void bothClientHostsAreUpOnTheLabNetwork() throws Exception {
    CliRun st = CliRun.of("lab", "--lab-dir", LAB.toString(), "status");
    assertThat(st.code()).as(st.out() + st.err()).isZero();
    assertThat(st.out()).containsPattern("(?m)^client +10\\.77\\.0\\.100 +netns ok +\\(client\\)$")
        .containsPattern("(?m)^client2 +10\\.77\\.0\\.200 +netns ok +\\(client\\)$");
    assertThat(LabHarness.exec("client2", "hostname").out().strip()).isEqualTo("client2");
    LabHarness.Exec ping = LabHarness.exec("client2", "ping", "-c", "1", "-W", "5", "10.77.0.100");
    assertThat(ping.code()).as(ping.out()).isZero();
  }

  @Test
  @Order(2)
  void agentsRunWithTheClassArchiveTheSystemdUnitWouldGiveThem() throws Exception {
    // made by deploy/libexec/brickyard-agent-cds, the unit's ExecStartPre, run for real by lab up
    assertThat(Files.readString(LAB.resolve("logs/agent-cds.log"))).contains("exit 0");
    java.util.Properties state = new java.util.Properties();
    try (var r = Files.newBufferedReader(LAB.resolve("lab.properties"))) {
      state.load(r);
    }
    for (String h : List.of("gluster1", "gluster2")) {
      String maps = Files.readString(Path.of("/proc", state.getProperty("agent." + h), "maps"));
      assertThat(maps).as(h + "'s agent maps the archive (a rejected archive is silently not mapped)")
          .contains("/var/cache/brickyard-lab/agent.jsa");
    }
  }

  @Test
  @Order(3)
  void agentRefusesClientsWithoutAValidCertificate() throws Exception {
    TlsFiles admin = TlsFiles.inDir(LAB.resolve("tls"), "admin");
    // 1. no client certificate at all
    var noCert = TlsChannelCredentials.newBuilder().trustManager(admin.caCert().toFile()).build();
    assertThat(callFacts(noCert)).isEqualTo(Status.Code.UNAVAILABLE);
    // 2. a certificate from another CA
    Path rogue = tmp.resolve("rogue");
    CertAuthority.init(rogue, "rogue", Duration.ofDays(1)).issue(rogue, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
    var rogueCreds = TlsChannelCredentials.newBuilder()
        .keyManager(rogue.resolve("admin.crt").toFile(), rogue.resolve("admin.key").toFile())
        .trustManager(admin.caCert().toFile()).build();
    assertThat(callFacts(rogueCreds)).isEqualTo(Status.Code.UNAVAILABLE);
    // 3. a genuine node certificate (gluster2's) may not drive gluster1's agent
    assertThat(callFacts(TlsFiles.inDir(LAB.resolve("tls"), "gluster2").channelCredentials()))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    // and the admin certificate works
    assertThat(callFacts(admin.channelCredentials())).isEqualTo(Status.Code.OK);
  }

  @Test
  @Order(3)
  void theLabCaKeyLivesOnlyInItsOwnDirectory() throws Exception {
    assertThat(LAB.resolve("ca").resolve("ca.key")).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(LAB.resolve("ca")))).isEqualTo("rwx------");
    try (var files = Files.walk(LAB)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("ca.key")).toList())
          .as("ca.key neither in the coordinator's TLS directory nor in any host's /etc/brickyard/tls")
          .containsExactly(LAB.resolve("ca").resolve("ca.key"));
    }
  }

  private static Status.Code callFacts(io.grpc.ChannelCredentials creds) throws InterruptedException {
    ManagedChannel ch = Grpc.newChannelBuilderForAddress("10.77.0.11", 7443, creds).build();
    try {
      FactsServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS).getFacts(GetFactsRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(4)
  void unreachableAgentIsReportedNotWaitedOn() throws Exception {
    // Stop gluster2's agent: nodes must report it unreachable, promptly, with exit code 1.
    String pid = new java.util.Properties() {
      {
        load(Files.newBufferedReader(LAB.resolve("lab.properties")));
      }
    }.getProperty("agent.gluster2");
    ProcessHandle h = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
    h.destroy();
    h.onExit().get(20, TimeUnit.SECONDS);
    CliRun r = CliRun.of("nodes");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).containsPattern("gluster2 +10\\.77\\.0\\.12:7443 +UNREACHABLE +unreachable");
    assertThat(r.out()).containsPattern("gluster1 +10\\.77\\.0\\.11:7443 +reachable");
    CliRun unknown = CliRun.of("nodes", "gluster9");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown node 'gluster9'");
  }
}
