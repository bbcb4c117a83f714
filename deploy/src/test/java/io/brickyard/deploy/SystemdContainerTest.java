package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packages and the agent under a real systemd (docs/systemd-tier.md): the .debs that
 * scripts/deb.sh built are installed with dpkg in a container booted by systemd 252
 * ({@link SystemdContainer}), the packaged CLI issues the certificates, {@code systemctl} starts
 * brickyard-agent.service, and the test checks it serving, its ExecStartPre (the AppCDS archive),
 * its restart after kill -9, its mount namespace (the host's: no sandboxing), and the agent's own
 * systemctl calls (EnsureService) for glusterd and firewalld against that systemd; then the
 * sandboxed coordinator unit, reached by root's CLI over its admin socket, reaching the agent.
 */
@Tag("systemd")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdContainerTest {
  static final Path CAPTURES = DeployFiles.dir().resolve("target/systemd-tier");
  static SystemdContainer c;

  @BeforeAll
  static void bootAndInstall() throws Exception {
    List<Path> debs = Packages.debs();
    Packages.require(java.util.Map.of("dpkg", "dpkg"));
    c = SystemdContainer.boot(CAPTURES.resolve("console.log"));
    System.out.printf("container booted in %.1f s%n", c.bootTime.toMillis() / 1000.0);
    Path in = Files.createDirectories(c.path("/root/brickyard-debs"));
    List<String> dpkg = new ArrayList<>(List.of("dpkg", "-i"));
    for (Path d : debs) {
      Files.copy(d, in.resolve(d.getFileName()));
      dpkg.add("/root/brickyard-debs/" + d.getFileName()); // not /tmp: nspawn mounts a tmpfs there
    }
    // The build host is a container image whose /usr/sbin/policy-rc.d says 101 ("start nothing during
    // installs"); deb-systemd-invoke then skips the maintainer scripts' stop and try-restart. A real
    // Debian machine has no such file: remove it in the container's overlay (the host keeps its own).
    c.sh("rm", "-f", "/usr/sbin/policy-rc.d").ok();
    long t0 = System.nanoTime();
    c.sh(300, dpkg.toArray(String[]::new)).ok();
    System.out.printf("dpkg -i: %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  static void powerOff() throws Exception {
    if (c != null) {
      Files.writeString(CAPTURES.resolve("journal.txt"), c.sh("journalctl", "--no-pager", "-b", "-o", "short-monotonic").out());
      c.close();
    }
  }

  static String prop(String unit, String property) {
    return c.sh("systemctl", "show", "--value", "-p", property, unit).ok().out().strip();
  }

  static void waitFor(String what, Duration max, java.util.function.BooleanSupplier ok) throws InterruptedException {
    waitFor(what, max, "brickyard-agent", ok);
  }

  /** Waits for {@code ok}; on a timeout the error carries the last journal lines of {@code unit}. */
  static void waitFor(String what, Duration max, String unit, java.util.function.BooleanSupplier ok)
      throws InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + max + " waiting for " + what + "\n"
            + c.sh("journalctl", "--no-pager", "-n", "60", "-u", unit).out());
      }
      Thread.sleep(200);
    }
  }

  /** One gRPC call from inside the container's network namespace, as the admin certificate. */
  static Run call(String... args) {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AgentCall.class.getName(), "127.0.0.1:7443",
        c.path("/root/admin-tls").toString(), "admin"));
    argv.addAll(List.of(args));
    return c.inNetwork(240, argv);
  }

  static JsonObject json(Run r) {
    assertThat(r.code()).as(r.describe()).isZero();
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  @Test
  @Order(1)
  void packagesInstalledUnderSystemdAndUnitsVerify() {
    assertThat(c.sh("dpkg-query", "-W", "-f", "${Package} ${Status}\n", "brickyard", "brickyard-agent", "brickyard-coordinator")
        .ok().out()).contains("brickyard install ok installed", "brickyard-agent install ok installed",
            "brickyard-coordinator install ok installed");
    // postinst: the coordinator's system user, its state directory; units known to systemd, disabled.
    assertThat(c.sh("getent", "passwd", "brickyard").ok().out()).contains("/var/lib/brickyard-coordinator");
    assertThat(c.sh("stat", "-c", "%U:%G %a", "/var/lib/brickyard-coordinator").ok().out().strip()).isEqualTo("brickyard:brickyard 750");
    assertThat(prop("brickyard-agent.service", "LoadState")).isEqualTo("loaded");
    assertThat(prop("brickyard-agent.service", "UnitFileState")).isEqualTo("disabled");
    assertThat(prop("brickyard-agent.service", "FragmentPath")).isEqualTo("/lib/systemd/system/brickyard-agent.service");
    Run verify = c.sh("systemd-analyze", "verify", "brickyard-agent.service", "brickyard-coordinator.service");
    assertThat(verify.code()).as(verify.describe()).isZero();
    assertThat(verify.out() + verify.err()).isEmpty();
  }

  @Test
  @Order(2)
  void certificatesFromThePackagedCli() {
    c.sh("brickyard", "certs", "init", "--cluster", "systemd-tier").ok();
    c.sh("brickyard", "certs", "issue", "node", "--role", "node", "--san", "localhost,127.0.0.1", "--out", "/etc/brickyard/tls").ok();
    c.sh("brickyard", "certs", "issue", "admin", "--role", "admin", "--out", "/root/admin-tls").ok();
    assertThat(c.sh("ls", "/etc/brickyard/tls").ok().out().lines()).containsExactlyInAnyOrder("ca.crt", "node.crt", "node.key");
    assertThat(c.sh("stat", "-c", "%a", "/etc/brickyard/tls/node.key").ok().out().strip()).isEqualTo("600");
  }

  @Test
  @Order(3)
  void agentStartsWithSystemctlRunsExecStartPreAndServes() throws Exception {
    long t0 = System.nanoTime();
    c.sh(180, "systemctl", "enable", "--now", "brickyard-agent.service").ok();
    waitFor("SERVING in the journal", Duration.ofSeconds(90),
        () -> c.sh("journalctl", "--no-pager", "-u", "brickyard-agent", "-g", "SERVING after").code() == 0);
    System.out.printf("systemctl enable --now brickyard-agent -> SERVING: %.1f s (first start, AppCDS archive made)%n",
        (System.nanoTime() - t0) / 1e9);
    assertThat(prop("brickyard-agent.service", "ActiveState")).isEqualTo("active");
    assertThat(prop("brickyard-agent.service", "UnitFileState")).isEqualTo("enabled");
    // ExecStartPre: the archive and the argument file ExecStart reads, and the JVM really maps it.
    assertThat(c.sh("journalctl", "--no-pager", "-u", "brickyard-agent").out()).contains("brickyard-agent-cds: wrote /var/cache/brickyard/brickyard-agent.jsa");
    assertThat(c.path("/var/cache/brickyard/brickyard-agent.jsa")).isNotEmptyFile();
    assertThat(c.sh("cat", "/run/brickyard/agent-cds.args").ok().out().strip())
        .isEqualTo("-XX:SharedArchiveFile=/var/cache/brickyard/brickyard-agent.jsa");
    String pid = prop("brickyard-agent.service", "MainPID");
    // ExecStart names the argument file (the java launcher expands it, so the command line shows
    // "@file"); the JVM really mapped the archive it names.
    String cmdline = c.sh("cat", "/proc/" + pid + "/cmdline").ok().out().replace('\0', ' ');
    assertThat(cmdline).contains("@/run/brickyard/agent-cds.args").contains("-jar /usr/share/brickyard/brickyard-agent.jar")
        .contains("-Xmx48m");
    assertThat(c.sh("cat", "/proc/" + pid + "/maps").ok().out()).contains("/var/cache/brickyard/brickyard-agent.jsa");
    // No mount-namespace sandboxing: the agent's mounts must be the machine's.
    assertThat(c.sh("readlink", "/proc/" + pid + "/ns/mnt").ok().out()).isEqualTo(c.sh("readlink", "/proc/1/ns/mnt").ok().out());
    // Serving: mTLS gRPC with the admin certificate, and /metrics.
    JsonObject facts = json(call("facts"));
    assertThat(facts.get("hostname").getAsString()).isNotEmpty();
    assertThat(facts.get("agentVersion").getAsString()).isNotEmpty();
    assertThat(c.sh("curl", "-sf", "http://127.0.0.1:9464/metrics").ok().out()).contains("jvm_memory_used_bytes");
  }

  @Test
  @Order(4)
  void killedAgentIsRestartedBySystemd() throws Exception {
    String pid = prop("brickyard-agent.service", "MainPID");
    long t0 = System.nanoTime();
    c.sh("kill", "-9", pid).ok();
    waitFor("a new MainPID after kill -9", Duration.ofSeconds(60), () -> {
      String now = prop("brickyard-agent.service", "MainPID");
      return !now.equals("0") && !now.equals(pid) && prop("brickyard-agent.service", "ActiveState").equals("active");
    });
    waitFor("the restarted agent serving", Duration.ofSeconds(60), () -> call("facts").code() == 0);
    System.out.printf("kill -9 -> restarted and serving: %.1f s (RestartSec=5s)%n", (System.nanoTime() - t0) / 1e9);
    assertThat(prop("brickyard-agent.service", "NRestarts")).isEqualTo("1");
    assertThat(c.sh("journalctl", "--no-pager", "-u", "brickyard-agent").out())
        .contains("Main process exited, code=killed, status=9/KILL").contains("Scheduled restart job");
  }

  @Test
  @Order(5)
  void ensureServiceDrivesGlusterdThroughTheRealSystemd() {
    assertThat(prop("glusterd.service", "ActiveState")).isEqualTo("inactive");
    JsonObject start = json(call("ensure", "glusterd", "true", "true"));
    assertThat(start.get("changed").getAsBoolean()).isTrue();
    assertThat(start.getAsJsonArray("commands").toString()).contains("systemctl", "enable", "glusterd.service", "start");
    assertThat(prop("glusterd.service", "ActiveState")).isEqualTo("active");
    assertThat(prop("glusterd.service", "UnitFileState")).isEqualTo("enabled");
    assertThat(c.sh("pgrep", "-x", "glusterd").code()).isZero();
    // Again: nothing to do, no command run.
    JsonObject again = json(call("ensure", "glusterd", "true", "true"));
    assertThat(again.get("changed").getAsBoolean()).isFalse();
    assertThat(again.getAsJsonArray("commands")).isEmpty();
    JsonObject stop = json(call("ensure", "glusterd", "false", "false"));
    assertThat(stop.get("changed").getAsBoolean()).isTrue();
    assertThat(prop("glusterd.service", "ActiveState")).isEqualTo("inactive");
    assertThat(prop("glusterd.service", "UnitFileState")).isEqualTo("disabled");
  }

  @Test
  @Order(6)
  void ensureServiceStartsFirewalldAndRefusesToStopIt() {
    JsonObject start = json(call("ensure", "firewalld", "true", "true"));
    assertThat(start.get("changed").getAsBoolean()).isTrue();
    assertThat(prop("firewalld.service", "ActiveState")).isEqualTo("active");
    assertThat(c.sh("firewall-cmd", "--state").ok().out().strip()).isEqualTo("running");
    // The packaged firewalld service file is visible to the real firewalld.
    assertThat(c.sh("firewall-cmd", "--info-service=brickyard-agent").ok().out()).contains("7443/tcp", "9464/tcp");
    Run stop = call("ensure", "firewalld", "false", "true");
    assertThat(stop.code()).isEqualTo(3);
    assertThat(stop.out()).startsWith("ERROR FAILED_PRECONDITION").contains("refusing to stop firewalld");
    assertThat(prop("firewalld.service", "ActiveState")).isEqualTo("active");
  }

  /**
   * The coordinator's sandboxed unit (user brickyard, ProtectSystem=strict, PrivateDevices=, ...)
   * under the real systemd, set up as docs/deploy.md says, and the whole chain: root's packaged
   * CLI over the coordinator's local admin socket, the coordinator over mTLS to the agent.
   */
  @Test
  @Order(7)
  void sandboxedCoordinatorServesRootsCliAndReachesTheAgent() throws Exception {
    c.sh("brickyard", "certs", "issue", "coordinator", "--role", "coordinator", "--san", "localhost,127.0.0.1",
        "--out", "/etc/brickyard/tls").ok();
    // docs/deploy.md, "Where they go": the coordinator's key readable by user brickyard.
    c.sh("chgrp", "brickyard", "/etc/brickyard", "/etc/brickyard/tls").ok();
    c.sh("chmod", "0750", "/etc/brickyard", "/etc/brickyard/tls").ok();
    c.sh("chown", "brickyard:brickyard", "/etc/brickyard/tls/coordinator.key").ok();
    // test setup inside the container (a redirect needs a shell there); no product code runs a shell string
    c.sh("sh", "-c", "echo 'node 127.0.0.1:7443' > /var/lib/brickyard-coordinator/nodes.conf").ok();
    c.sh("chown", "brickyard:brickyard", "/var/lib/brickyard-coordinator/nodes.conf").ok();
    c.sh(180, "systemctl", "start", "brickyard-coordinator.service").ok();
    waitFor("the coordinator's admin socket", Duration.ofSeconds(90),
        () -> c.sh("test", "-S", "/run/brickyard-coordinator/coordinator.sock").code() == 0);
    assertThat(prop("brickyard-coordinator.service", "ActiveState")).isEqualTo("active");
    String pid = prop("brickyard-coordinator.service", "MainPID");
    assertThat(c.sh("stat", "-c", "%U", "/proc/" + pid).ok().out().strip()).isEqualTo("brickyard");
    // Its sandbox is real: its own mount namespace, /etc read-only inside it.
    assertThat(c.sh("readlink", "/proc/" + pid + "/ns/mnt").ok().out()).isNotEqualTo(c.sh("readlink", "/proc/1/ns/mnt").ok().out());
    assertThat(c.sh("nsenter", "-t", pid, "-m", "findmnt", "-n", "-o", "OPTIONS", "--target", "/etc").ok().out()).startsWith("ro");
    Run nodes = c.sh(120, "brickyard", "nodes", "-o", "yaml");
    assertThat(nodes.code()).as(nodes.describe()).isZero();
    assertThat(nodes.out()).contains("name: node").contains("reachable: true").contains("address: 127.0.0.1:7443");
  }

  /**
   * The sandboxed ZooKeeper member unit as docs/ha.md sets it up (here one member, standalone, with
   * the node certificate): it serves TLS on 2281 with its state under StateDirectory; removing its
   * package stops it (the maintainer scripts every daemon package shares, scripts/deb.sh).
   */
  @Test
  @Order(8)
  void zookeeperMemberServesUnderItsSandboxAndRemovingThePackageStopsIt() throws Exception {
    // test setup inside the container (a redirect needs a shell there); no product code runs a shell string
    c.sh("sh", "-c", "echo 'BRICKYARD_ZOOKEEPER_ARGS=\"--id 1 --members 1=127.0.0.1 --tls-dir /etc/brickyard/tls"
        + " --tls-name node\"' >> /etc/default/brickyard-zookeeper").ok();
    c.sh(180, "systemctl", "start", "brickyard-zookeeper.service").ok();
    // Java's dual-stack socket: ss shows the address as [::ffff:127.0.0.1]:2281
    waitFor("ZooKeeper listening on 127.0.0.1:2281", Duration.ofSeconds(90), "brickyard-zookeeper",
        () -> c.sh("ss", "-Hltn", "sport", "=", ":2281").out().contains("127.0.0.1]:2281"));
    assertThat(prop("brickyard-zookeeper.service", "ActiveState")).isEqualTo("active");
    String pid = prop("brickyard-zookeeper.service", "MainPID");
    assertThat(c.sh("readlink", "/proc/" + pid + "/ns/mnt").ok().out()).isNotEqualTo(c.sh("readlink", "/proc/1/ns/mnt").ok().out());
    assertThat(c.path("/var/lib/brickyard-zookeeper/myid")).hasContent("1\n");
    Run remove = c.sh(180, "dpkg", "-r", "brickyard-zookeeper");
    assertThat(remove.code()).as(remove.describe()).isZero();
    assertThat(prop("brickyard-zookeeper.service", "ActiveState")).isEqualTo("inactive");
    assertThat(prop("brickyard-zookeeper.service", "LoadState")).isEqualTo("not-found");
    assertThat(c.sh("ss", "-Hltn", "sport", "=", ":2281").out()).doesNotContain(":2281");
  }
}
