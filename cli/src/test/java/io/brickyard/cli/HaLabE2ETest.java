package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * lab's namespaces and this machine, TLS only, both agents' sessions, two coordinators of which one
 * leads; fault (e) the leader coordinator killed (-9): the standby leads, the agents' sessions are
 * untouched; fault (f) one ZooKeeper member killed (-9): every session survives, the leader stays.
 * No NFS here (no VIP is assigned while no ganesha runs): what moves is checked by the sessions'
 * ids, which a move or a lost session would change. Run under the lab lock.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaLabE2ETest {
  static final String MEMBERS = "10.77.0.11:2281,10.77.0.12:2281,10.77.0.1:2281";
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

  /** The LeaderLatch participant whose node has the lowest sequence: the leader. */
  static String leader() throws Exception {
    List<String> c = admin.getChildren().forPath("/brickyard/leader");
    String first = c.stream().min((x, y) -> x.substring(x.lastIndexOf('-')).compareTo(y.substring(y.lastIndexOf('-'))))
        .orElse(null);
    return first == null ? "" : new String(admin.getData().forPath("/brickyard/leader/" + first), StandardCharsets.UTF_8);
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
    assertThat(leader()).isIn("coordinator1", "coordinator2");
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

  @Test
  @Order(3)
  void faultE_theLeaderCoordinatorKilledMovesNothingAndTheStandbyLeads() throws Exception {
    Map<String, Long> before = agentSessions();
    String was = leader();
    long pid = LabHarness.labPid(was.equals("coordinator1") ? "coordinator" : "coordinator2");
    long t0 = System.nanoTime();
    LabHarness.kill(pid, true);
    waitFor(() -> quietly(() -> !leader().equals(was) && !leader().isEmpty()), 20_000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("ha lab (e): %s killed, %s leads after %d ms (session timeout %d ms)%n", was, leader(), ms,
        ZkClients.SESSION_TIMEOUT.toMillis());
    assertThat(ms).isLessThan(ZkClients.SESSION_TIMEOUT.toMillis() + 2000);
    assertThat(participants()).isEqualTo(1);
    assertThat(agentSessions()).isEqualTo(before);
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
