package io.brickyard.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.common.zk.ZkClients;
import io.brickyard.common.zk.ZkMemberConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ownership state machine against a real ZooKeeper server (Curator's TestingServer, the tick of
 * the member configuration) and the agent's real timeouts: the agent's connection goes through a relay
 * that can be frozen (a partition) or reset (a killed member). The link is a recorder of adds and
 * removals with their times: what {@code ip} does is VipOps' business, tested on its own.
 */
class VipOwnershipTest {
  private static final String VIP = "10.0.0.100";
  @TempDir Path dir;
  private TestingServer server;
  private FreezableProxy proxy;
  private CuratorFramework agentZk;
  private CuratorFramework other;
  private final RecordingLink link = new RecordingLink();
  private final List<String> graces = Collections.synchronizedList(new ArrayList<>());
  /** For each grace event: whether the address was on the link when it was sent. */
  private final List<Boolean> presentAtGrace = Collections.synchronizedList(new ArrayList<>());
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  /** For each grace 5: whether the take's duplicate address probe was running meanwhile. */
  private final List<Boolean> graceDuringProbe = Collections.synchronizedList(new ArrayList<>());
  private VipOwnership own;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, 1,
        (int) ZkMemberConfig.TICK.toMillis(), -1), true);
    proxy = new FreezableProxy(server.getPort());
    agentZk = client("127.0.0.1:" + proxy.port());
    other = client(server.getConnectString());
    other.start();
    assertThat(other.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    own = new VipOwnership(agentZk, "gluster1", link, (e, a) -> {
      if (e == GraceEvent.GRACE_EVENT_TAKE_ADDRESS) {
        graceDuringProbe.add(probingWithin(2000));
      }
      presentAtGrace.add(link.held().contains(a));
      graces.add(e + " " + a);
    }, events::add);
    own.start();
    assertThat(agentZk.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    waitFor(own::connected, 5000);
  }

  @AfterEach
  void stop() throws Exception {
    own.close();
    other.close();
    proxy.close();
    server.close();
  }

  private static CuratorFramework client(String connect) {
    return CuratorFrameworkFactory.builder().connectString(connect)
        .sessionTimeoutMs((int) ZkClients.SESSION_TIMEOUT.toMillis())
        .connectionTimeoutMs((int) ZkClients.CONNECTION_TIMEOUT.toMillis())
        .retryPolicy(new ExponentialBackoffRetry(100, 5, 1000)).build();
  }

  private static EnsureVipPresentRequest add() {
    return EnsureVipPresentRequest.newBuilder().setAddress(VIP + "/24").build();
  }

  @Test
  void theZnodeComesBeforeTheAddressAndASecondHolderIsRefused() throws Exception {
    VipOwnershipResult r = own.take(add(), true);
    assertThat(r.getClaimedAtMs()).isPositive().isLessThanOrEqualTo(r.getAddedAtMs());
    // grace 5 between the znode and the address: a client reaching the address finds grace started
    assertThat(r.getGraceAtMs()).isGreaterThanOrEqualTo(r.getClaimedAtMs()).isLessThanOrEqualTo(r.getAddedAtMs());
    assertThat(presentAtGrace).containsExactly(false);
    assertThat(link.held()).containsExactly(VIP);
    assertThat(new String(other.getData().forPath(VipOwnership.VIPS + "/" + VIP), StandardCharsets.UTF_8))
        .isEqualTo("gluster1");
    assertThat(graces).containsExactly(GraceEvent.GRACE_EVENT_TAKE_ADDRESS + " " + VIP);
    // another session cannot claim it while ours lives
    assertThatThrownBy(() -> other.create().withMode(CreateMode.EPHEMERAL).forPath(VipOwnership.VIPS + "/" + VIP))
        .isInstanceOf(KeeperException.NodeExistsException.class);
    // a take by this node again is unchanged, no second grace
    own.take(add(), true);
    assertThat(graces).hasSize(1);
    // release: address first, then the znode
    VipOwnershipResult rel = own.release(VIP, true);
    assertThat(rel.getRemovedAtMs()).isPositive().isLessThanOrEqualTo(rel.getReleasedAtMs());
    assertThat(link.held()).isEmpty();
    assertThat(other.checkExists().forPath(VipOwnership.VIPS + "/" + VIP)).isNull();
  }

  @Test
  void graceFiveRunsWhileTheDuplicateAddressProbeWaitsAndTheAddWaitsForIt() throws Exception {
    own.take(add(), true);
    assertThat(graceDuringProbe).containsExactly(true);
    assertThat(presentAtGrace).containsExactly(false);
  }

  @Test
  void aTakeWhoseAnnounceFailsRemovesTheAddressAndGivesUpTheZnode() throws Exception {
    link.failAfterAdd = true;
    assertThatThrownBy(() -> own.take(add(), true)).hasMessageContaining("gratuitous ARP");
    assertThat(link.adds).containsKey(VIP);
    assertThat(link.held()).isEmpty();
    assertThat(other.checkExists().forPath(VipOwnership.VIPS + "/" + VIP)).isNull();
    assertThat(own.claimed()).isEmpty();
  }

  @Test
  void aZnodeHeldByAnotherSessionRefusesTheTakeAndNothingIsAdded() throws Exception {
    other.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath(VipOwnership.VIPS + "/" + VIP, "gluster2".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> own.take(add(), true)).isInstanceOf(RefusedException.class)
        .hasMessageContaining("held by gluster2");
    assertThat(link.adds).isEmpty();
  }

  /**
   * The order docs/ha.md argues: cut off (no reset, no refusal: a partition), the agent removes the
   * address when Curator says SUSPENDED, and the znode vanishes only when the server expires the
   * session, later by a margin; only then can another session take it. Prints the measured times.
   */
  @Test
  void partitionedTheAddressIsRemovedWellBeforeTheSessionExpires() throws Exception {
    own.take(add(), false);
    String path = VipOwnership.VIPS + "/" + VIP;
    long t0 = System.nanoTime();
    proxy.freeze(true);
    long removed = waitFor(() -> link.removedAt(VIP) != 0, 10_000);
    long expired = waitFor(() -> exists(path) == Boolean.FALSE, 15_000);
    long removedMs = (removed - t0) / 1_000_000;
    long expiredMs = (expired - t0) / 1_000_000;
    System.out.printf("partition: address removed after %d ms, session expired (znode gone) after %d ms, "
        + "margin %d ms (session %d ms, tick %d ms)%n", removedMs, expiredMs, expiredMs - removedMs,
        ZkClients.SESSION_TIMEOUT.toMillis(), ZkMemberConfig.TICK.toMillis());
    assertThat(removedMs).isLessThan(ZkClients.SESSION_TIMEOUT.toMillis() * 2 / 3 + 1000);
    assertThat(expiredMs - removedMs).isGreaterThan(ZkClients.SESSION_TIMEOUT.toMillis() / 6);
    // now another node may take it
    other.create().withMode(CreateMode.EPHEMERAL).forPath(path, "gluster2".getBytes(StandardCharsets.UTF_8));
    proxy.freeze(false);
    // the agent comes back with a new session: it must not put the address back
    waitFor(own::connected, 15_000);
    Thread.sleep(500);
    assertThat(link.held()).isEmpty();
    assertThat(own.claimed()).isEmpty();
    assertThatThrownBy(() -> own.take(add(), false)).hasMessageContaining("held by gluster2");
  }

  @Test
  void aConnectionResetRemovesAtOnceAndTheSameSessionPutsItBack() throws Exception {
    own.take(add(), false);
    long t0 = System.nanoTime();
    proxy.reset();
    long removed = waitFor(() -> link.removedAt(VIP) != 0, 5_000);
    System.out.printf("connection reset: address removed after %d ms%n", (removed - t0) / 1_000_000);
    waitFor(() -> link.held().contains(VIP), 10_000);
    assertThat(events).anyMatch(e -> e.startsWith("RECONNECTED: added " + VIP));
  }

  @Test
  void ganeshaDownReleasesEveryVipAndPublishesTheHealth() throws Exception {
    own.take(add(), false);
    waitFor(() -> {
      own.checkGanesha(GaneshaHealth.newBuilder().setUp(true).build());
      return "up".equals(data(VipOwnership.NODES + "/gluster1"));
    }, 5000);
    assertThat(link.held()).containsExactly(VIP);
    own.checkGanesha(GaneshaHealth.newBuilder().setUp(false).setDetail("ganesha is not on the system bus").build());
    assertThat(link.held()).isEmpty();
    assertThat(other.checkExists().forPath(VipOwnership.VIPS + "/" + VIP)).isNull();
    waitFor(() -> String.valueOf(data(VipOwnership.NODES + "/gluster1")).startsWith("down"), 5000);
  }

  private Boolean exists(String path) {
    try {
      return other.checkExists().forPath(path) != null;
    } catch (Exception e) {
      return null;
    }
  }

  private String data(String path) {
    try {
      return new String(other.getData().forPath(path), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return null;
    }
  }

  /** Whether the link's probe runs now or starts within {@code millis}: a take that sent grace 5 first never would. */
  private boolean probingWithin(long millis) {
    try {
      waitFor(() -> link.probing, millis);
      return true;
    } catch (AssertionError | InterruptedException e) {
      return false;
    }
  }

  private static long waitFor(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(5);
    }
    return System.nanoTime();
  }

  /** Records adds and removals with their times (System.nanoTime). */
  static final class RecordingLink implements VipLink {
    final Map<String, Long> adds = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Long> removes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> held = Collections.synchronizedList(new ArrayList<>());

    /** True while an add is in its duplicate address probe (before {@code beforeAdd} returned). */
    volatile boolean probing;
    /** Makes the next add fail after the address went on, as a failed gratuitous ARP does. */
    volatile boolean failAfterAdd;

    @Override
    public OperationResult add(EnsureVipPresentRequest req, Runnable beforeAdd) {
      String a = req.getAddress().replaceFirst("/.*", "");
      probing = true;
      try {
        beforeAdd.run();
      } finally {
        probing = false;
      }
      adds.put(a, System.nanoTime());
      boolean changed = !held.contains(a);
      if (changed) {
        held.add(a);
      }
      if (failAfterAdd) {
        failAfterAdd = false;
        throw new io.brickyard.agent.op.OperationFailedException("no gratuitous ARP left eth0");
      }
      return OperationResult.newBuilder().setChanged(changed).build();
    }

    @Override
    public OperationResult remove(String address) {
      boolean changed = held.remove(address);
      if (changed) {
        removes.put(address, System.nanoTime());
      }
      return OperationResult.newBuilder().setChanged(changed).build();
    }

    @Override
    public List<String> held() {
      return List.copyOf(held);
    }

    long removedAt(String a) {
      return removes.getOrDefault(a, 0L);
    }
  }
}
