package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.exec.Daemons;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.common.zk.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code brickyard lab up --ha} on real software (docs/ha.md): the 3-member ZooKeeper ensemble across the
 * lab's namespaces and this machine, TLS only, both agents' sessions, two coordinators on different hosts
 * (this machine and coord2) of which the first leads; {@code status} through the CLI names the leader and
 * the ensemble's tolerance; fault (e) in both directions: the leading coordinator killed (-9), the
 * standby on the other host leads, the agents' sessions are untouched and the CLI given both coordinators
 * reaches the new leader; fault (f) one ZooKeeper member killed (-9): every session survives, the leader
 * stays. No NFS here (no VIP is assigned while no ganesha runs): what moves is checked by the sessions'
 * ids, which a move or a lost session would change. Run under the lab lock.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaLabE2ETest {
  static final String MEMBERS = "10.77.0.11:2281,10.77.0.12:2281,10.77.0.1:2281";
  static final String COORDINATOR1 = "127.0.0.1:7444";
  static final String COORDINATOR2 = "10.77.0.2:7444";
  @TempDir static Path tmp;
  static CuratorFramework admin;
  static long upMillis;

  @BeforeAll
  static void up() throws Exception {
    long t0 = System.nanoTime();
    CliRun r = CliRun.of("lab", "--lab-dir", LabHarness.LAB.toString(), "up", "--nodes", "2", "--ha");
    upMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    admin = ZkClients.curator(MEMBERS, ZkClients.tlsConfig(TlsFiles.inDir(LabHarness.LAB.resolve("tls"), "admin"),
        tmp.resolve("admin")), ZkClients.SESSION_TIMEOUT, ZkClients.CONNECTION_TIMEOUT);
    admin.start();
    assertThat(admin.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
    System.out.printf("ha lab: lab up --ha took %d ms (2 cores)%n", upMillis);
  }

  @AfterAll
  static void down() {
    if (admin != null) {
      admin.close();
    }
    LabHarness.down();
  }

  /** node -> its agent's session id, from the ephemeral /brickyard/nodes/<node>. */
  static Map<String, Long> agentSessions() throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (String n : admin.getChildren().forPath("/brickyard/nodes")) {
      Stat st = admin.checkExists().forPath("/brickyard/nodes/" + n);
      if (st != null) {
        out.put(n, st.getEphemeralOwner());
      }
    }
    return out;
  }

  /** The LeaderLatch participant whose node has the lowest sequence: the leader ("ID@ADDRESS"). */
  static String leaderParticipant() throws Exception {
    List<String> c = admin.getChildren().forPath("/brickyard/leader");
    String first = c.stream().min((x, y) -> x.substring(x.lastIndexOf('-')).compareTo(y.substring(y.lastIndexOf('-'))))
        .orElse(null);
    return first == null ? "" : new String(admin.getData().forPath("/brickyard/leader/" + first), StandardCharsets.UTF_8);
  }

  /** The leader's id, read from ZooKeeper directly (not through a coordinator). */
  static String leader() throws Exception {
    String p = leaderParticipant();
    return p.contains("@") ? p.substring(0, p.indexOf('@')) : p;
  }

  /** {@code status -o json}'s ha view through the real CLI given both coordinators, as an admin with mTLS. */
  static JsonObject statusHa() {
    CliRun r = CliRun.of("status", "-o", "json", "--coordinator", COORDINATOR1 + "," + COORDINATOR2,
        "--tls-dir", LabHarness.LAB.resolve("tls").toString(), "--tls-name", "admin");
    assertThat(r.out()).as(r.err()).startsWith("{");
    return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("ha");
  }

  static int participants() throws Exception {
    return admin.getChildren().forPath("/brickyard/leader").size();
  }

  @Test
  @Order(1)
  void theEnsembleServesBothAgentsAndTwoCoordinatorsOfWhichOneLeads() throws Exception {
    waitFor(() -> quietly(() -> agentSessions().keySet().containsAll(List.of("gluster1", "gluster2"))), 30_000);
    try {
      waitFor(() -> quietly(() -> participants() == 2), 30_000);
    } catch (AssertionError e) {
      for (String f : List.of("coordinator.log", "coordinator2.log", "zookeeper.log")) {
        java.nio.file.Path log = LabHarness.LAB.resolve("logs").resolve(f);
        List<String> lines = java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log) : List.of();
        System.out.println("== " + f + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      }
      throw e;
    }
    // lab up starts the standby once the first coordinator leads; each advertises the address the CLI dials
    assertThat(leaderParticipant()).isEqualTo("coordinator1@" + COORDINATOR1);
    // the standby runs in coord2's namespace, not on this machine's
    long standby = LabHarness.labPid("coordinator2");
    assertThat(LabHarness.netnsPids("bylab-coord2")).contains(standby);
    JsonObject ha = statusHa();
    assertThat(ha.get("selfId").getAsString()).isEqualTo("coordinator1");
    assertThat(ha.get("leaderAddress").getAsString()).isEqualTo(COORDINATOR1);
    assertThat(ha.getAsJsonArray("coordinators")).hasSize(2);
    assertThat(ha.get("ensembleSize").getAsInt()).isEqualTo(3);
    assertThat(ha.get("toleratedFailures").getAsInt()).isEqualTo(1);
    assertThat(memberModes(ha)).as("each member as it answered srvr: " + ha).containsOnlyKeys("1", "2", "3")
        .containsValues("leader", "follower").doesNotContainValue("");
  }

  /** status's members by id: their mode, "" when not serving. */
  static Map<String, String> memberModes(JsonObject ha) {
    Map<String, String> modes = new java.util.TreeMap<>();
    for (var m : ha.getAsJsonArray("members")) {
      JsonObject o = m.getAsJsonObject();
      modes.put(o.get("id").getAsString(), o.has("mode") ? o.get("mode").getAsString() : "");
    }
    return modes;
  }

  @Test
  @Order(2)
  void anAnonymousClientIsRefusedAndAnAdminCannotWrite() throws Exception {
    ZKClientConfig c = new ZKClientConfig();
    try (ClientX509Util x = new ClientX509Util()) {
      c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
      c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
      c.setProperty(x.getSslTruststoreLocationProperty(), LabHarness.LAB.resolve("tls/ca.crt").toString());
      c.setProperty(x.getSslTruststoreTypeProperty(), "PEM");
    }
    try (CuratorFramework anon = ZkClients.curator(MEMBERS, c, ZkClients.SESSION_TIMEOUT, ZkClients.CONNECTION_TIMEOUT)) {
      anon.start();
      assertThat(anon.blockUntilConnected(3, TimeUnit.SECONDS)).isFalse();
    }
    assertThatThrownBy(() -> admin.create().forPath("/brickyard/vips/10.77.0.250"))
        .isInstanceOf(KeeperException.NoAuthException.class);
  }

  /**
   * Kills the leader with -9 and checks that the other coordinator leads within the session timeout (+2 s),
   * that nothing else moved, and that the CLI given both coordinators now reaches the new leader.
   */
  static void killLeaderAndCheckTheStandbyLeads(String was, String pidKey, String next, String nextAddress) throws Exception {
    Map<String, Long> before = agentSessions();
    assertThat(leader()).isEqualTo(was);
    long t0 = System.nanoTime();
    LabHarness.kill(LabHarness.labPid(pidKey), true);
    waitFor(() -> quietly(() -> !leader().equals(was) && !leader().isEmpty()), 20_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("ha lab (e): %s killed, %s leads after %d ms (session timeout %d ms, 2 cores)%n", was, leader(), ms,
        ZkClients.SESSION_TIMEOUT.toMillis());
    assertThat(leader()).isEqualTo(next);
    assertThat(ms).isLessThan(ZkClients.SESSION_TIMEOUT.toMillis() + 2000);
    assertThat(participants()).isEqualTo(1);
    assertThat(agentSessions()).isEqualTo(before);
    JsonObject ha = statusHa();
    assertThat(ha.get("selfId").getAsString()).as("the CLI given both coordinators reaches the leader").isEqualTo(next);
    assertThat(ha.get("leaderAddress").getAsString()).isEqualTo(nextAddress);
    assertThat(ha.get("selfLeads").getAsBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void faultE_theLeaderCoordinatorKilledMovesNothingAndTheStandbyOnTheOtherHostLeadsBothWays() throws Exception {
    // coordinator1 (this machine) killed: coordinator2 (coord2) leads
    List<String> argv1 = LabHarness.cmdline(LabHarness.labPid("coordinator"));
    killLeaderAndCheckTheStandbyLeads("coordinator1", "coordinator", "coordinator2", COORDINATOR2);
    // coordinator1 started again as the lab started it: it joins as the standby
    Process again = Daemons.spawn(argv1, LabHarness.LAB.resolve("logs/coordinator.log"), Map.of());
    LabHarness.recordLabPid("coordinator", again.pid()); // lab down stops it
    waitFor(() -> quietly(() -> participants() == 2), 60_000);
    // coordinator2 (coord2) killed: coordinator1 leads again
    killLeaderAndCheckTheStandbyLeads("coordinator2", "coordinator2", "coordinator1", COORDINATOR1);
  }

  @Test
  @Order(4)
  void faultF_oneZooKeeperMemberKilledEverySessionSurvives() throws Exception {
    Map<String, Long> before = agentSessions();
    String leading = leader();
    LabHarness.kill(LabHarness.labPid("zookeeper.gluster1"), true);
    // longer than a session timeout: a lost session would have expired and its znode gone
    Thread.sleep(ZkClients.SESSION_TIMEOUT.toMillis() + 2000);
    assertThat(agentSessions()).isEqualTo(before);
    assertThat(leader()).isEqualTo(leading);
    JsonObject ha = statusHa();
    assertThat(memberModes(ha)).as("status names the killed member: " + ha).containsEntry("1", "");
    assertThat(ha.toString()).contains("unreachable");
  }

  interface Check {
    boolean get() throws Exception;
  }

  static boolean quietly(Check c) {
    try {
      return c.get();
    } catch (Exception e) {
      return false;
    }
  }

  static void waitFor(BooleanSupplier c, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(50);
    }
  }
}
