package io.brickyard.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.GlusterVolumes;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.coordinator.v1.Failover;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import io.brickyard.coordinator.vip.OwnedVips;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinators' leaders against a real ZooKeeper server. The nodes are ZooKeeper sessions doing
 * at the znode level what an agent does (ephemeral VIP znodes, a node znode saying ganesha is up):
 * the agent's own behaviour is VipOwnershipTest's. Node loss is its session closing.
 */
class FailoverLeaderTest {
  private static final String A = "10.77.0.201";
  private static final String B = "10.77.0.202";
  @TempDir Path dir;
  private TestingServer server;
  private final Map<String, CuratorFramework> nodes = new ConcurrentHashMap<>();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<FailoverLeader> leaders = new ArrayList<>();
  private final List<CuratorFramework> coordinators = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** The test's own session for reading holders: a coordinator's may be closed by the test. */
  private CuratorFramework observer;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    observer = client();
  }

  @AfterEach
  void stop() throws Exception {
    for (FailoverLeader l : leaders) {
      l.close();
    }
    coordinators.forEach(CuratorFramework::close);
    nodes.values().forEach(CuratorFramework::close);
    observer.close();
    server.close();
  }

  private CuratorFramework client() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
        .sessionTimeoutMs(6000).connectionTimeoutMs(2000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
    c.start();
    assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    return c;
  }

  private void nodeUp(String name) throws Exception {
    CuratorFramework c = client();
    nodes.put(name, c);
    c.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath(FailoverLeader.NODES + "/" + name, "up".getBytes(StandardCharsets.UTF_8));
  }

  /** What the agents' RPCs do at the znode level. */
  private final FailoverAgents agents = new FailoverAgents() {
    @Override
    public VipOwnershipResult take(String node, HaConfig.Vip vip, boolean grace) {
      calls.add("take " + vip.ip() + " " + node + (grace ? "" : " without grace"));
      try {
        long claimed = System.currentTimeMillis();
        nodes.get(node).create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
            .forPath(FailoverLeader.VIPS + "/" + vip.ip(), node.getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        return VipOwnershipResult.newBuilder().setClaimedAtMs(claimed).setAddedAtMs(now).setGraceAtMs(grace ? now : 0).build();
      } catch (KeeperException.NodeExistsException e) {
        throw new IllegalStateException("FAILED_PRECONDITION: held by another session");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public VipOwnershipResult release(String node, String ip) {
      calls.add("release " + ip + " " + node);
      try {
        long removed = System.currentTimeMillis();
        nodes.get(node).delete().forPath(FailoverLeader.VIPS + "/" + ip);
        return VipOwnershipResult.newBuilder().setRemovedAtMs(removed).setGraceAtMs(removed)
            .setReleasedAtMs(System.currentTimeMillis()).build();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void graceRelease(String node, String ip) {
      calls.add("grace2 " + ip + " " + node);
    }

    @Override
    public void graceTake(String node, String ip) {
      calls.add("grace5 " + ip + " " + node);
      try {
        Thread.sleep(graceTakeMillis); // ganesha answers once its in-flight requests are done
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** vol1, a replica over both nodes, started; a node in {@link #bricksOffline} has its brick offline. */
    @Override
    public GlusterVolumes volumeStatus(String node) {
      volumeStatusReads.incrementAndGet(); // not in calls: the leader's background read, every 5 s
      GlusterVolume.Builder v = GlusterVolume.newBuilder().setName("vol1").setStatus("Started");
      for (String n : List.of("gluster1", "gluster2")) {
        v.addBricks(GlusterBrick.newBuilder().setName(n + ":/b").setHost(n).setPath("/b")
            .setOnline(!bricksOffline.contains(n)));
      }
      return GlusterVolumes.newBuilder().addVolumes(v).build();
    }

    @Override
    public void takeoverLink(String node, String ip, String recordsNode, HaConfig.Recovery recovery) {
      calls.add("link " + ip + " " + node + "->" + recordsNode + " " + recovery.volume());
      if (failLinks.contains(node)) {
        throw new IllegalStateException("UNAVAILABLE: the recovery store of " + node + " is not mounted");
      }
    }
  };
  /** Nodes whose takeover link fails (their recovery store broken). */
  private final java.util.Set<String> failLinks = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger volumeStatusReads = new java.util.concurrent.atomic.AtomicInteger();
  /** How long an early grace 5 takes to be answered. */
  private volatile long graceTakeMillis;
  /** Nodes whose brick of vol1 gluster reports offline. */
  private final java.util.Set<String> bricksOffline = ConcurrentHashMap.newKeySet();
  /** Addresses whose NFS port does not answer the leader's probe (their holder's link or machine gone). */
  private final java.util.Set<String> silent = ConcurrentHashMap.newKeySet();

  private FailoverLeader leader(String id) throws Exception {
    CuratorFramework c = client();
    coordinators.add(c);
    FailoverLeader l = new FailoverLeader(c, id, agents, new Journal(dir.resolve("journal-" + id)), registry,
        ip -> !silent.contains(ip));
    l.start();
    leaders.add(l);
    return l;
  }

  private String holder(String ip) throws Exception {
    try {
      return new String(observer.getData().forPath(FailoverLeader.VIPS + "/" + ip), StandardCharsets.UTF_8);
    } catch (KeeperException.NoNodeException e) {
      return null;
    }
  }

  private void publish(Failback fb, int delay) throws Exception {
    publish(fb, delay, new HaConfig.Grace(10, 3));
  }

  private void publish(Failback fb, int delay, HaConfig.Grace grace) throws Exception {
    FailoverLeader.publish(coordinators.get(0), new HaConfig(List.of("gluster1", "gluster2"),
        List.of(new HaConfig.Vip(A + "/24", "gluster1", ""), new HaConfig.Vip(B + "/24", "gluster2", "")), fb, delay,
        new HaConfig.Recovery("state", "/var/lib/brickyard/nfs-state"), grace, List.of("vol1")));
  }

  @Test
  void vipsGoHomeFailOverOnNodeLossAndFailBackAfterTheDelay() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    FailoverLeader one = leader("coord-a");
    publish(Failback.AUTO, 1);
    waitFor(() -> A.equals(A) && "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    assertThat(one.isLeader()).isTrue();

    long t0 = System.currentTimeMillis();
    nodes.remove("gluster1").close(); // node loss: its session ends, its znodes go
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    long moved = System.currentTimeMillis() - t0;
    System.out.printf("leader: VIP reassigned %d ms after the holder's session ended%n", moved);
    assertThat(moved).isLessThan(2000);

    nodeUp("gluster1"); // the node returns: after failbackDelay (1 s) the VIP goes home
    long back0 = System.currentTimeMillis();
    waitFor(() -> "gluster1".equals(q(A)), 10_000);
    assertThat(System.currentTimeMillis() - back0).isGreaterThanOrEqualTo(900);
    // each take after the new holder's takeover link to the records of the address's last holder (set at
    // the take, or kept in advance: then before the failure or the failback's release)
    assertThat(calls).containsSubsequence("link " + A + " gluster1->gluster1 state", "take " + A + " gluster1",
        "link " + A + " gluster2->gluster1 state", "take " + A + " gluster2",
        "link " + A + " gluster1->gluster2 state", "take " + A + " gluster1");
    assertThat(calls).containsSubsequence("take " + A + " gluster2", "release " + A + " gluster2",
        "take " + A + " gluster1");
    // a lost node's agent is gone with its node znode: no grace 2 is sent to it
    assertThat(calls).doesNotContain("grace2 " + A + " gluster1");

    waitFor(() -> journalQuietly("coord-a").stream().anyMatch(r -> r.getFailover().getReason().equals("failback")),
        5_000);
    List<JournalRecord> recs = journal("coord-a");
    assertThat(recs).extracting(r -> r.getFailover().getReason() + " " + r.getFailover().getAddress() + " "
        + r.getFailover().getFromNode() + "->" + r.getFailover().getToNode())
        .contains("holder lost " + A + " gluster1->gluster2", "failback " + A + " gluster2->gluster1");
    JournalRecord lost = recs.stream().filter(r -> r.getFailover().getReason().equals("holder lost")).findFirst()
        .orElseThrow();
    assertThat(lost.getEntry().getKind()).isEqualTo(Journal.KIND_FAILOVER);
    assertThat(lost.getFailover().getDetectedMs()).isPositive();
    assertThat(lost.getFailover().getTakenMs()).isGreaterThanOrEqualTo(lost.getFailover().getDetectedMs());
    assertThat(registry.get("brickyard.failovers").tag("reason", "holder lost").counter().count()).isEqualTo(1);
    assertThat(registry.get("brickyard.failover.duration").timer().count()).isGreaterThanOrEqualTo(3);
    assertThat(registry.get("brickyard.vip.holder").tags("vip", A, "node", "gluster1").gauge().value()).isEqualTo(1);
  }

  @Test
  void manualFailbackLeavesTheVipWhereItIs() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0);
    waitFor(() -> "gluster1".equals(q(A)), 10_000);
    nodes.remove("gluster1").close();
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    nodeUp("gluster1");
    Thread.sleep(1500);
    assertThat(q(A)).isEqualTo("gluster2");
  }

  @Test
  void losingTheLeaderMovesNothingAndTheStandbyLeads() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    FailoverLeader one = leader("coord-a");
    FailoverLeader two = leader("coord-b");
    publish(Failback.AUTO, 30);
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    assertThat(one.isLeader() ^ two.isLeader()).isTrue();
    FailoverLeader first = one.isLeader() ? one : two;
    FailoverLeader standby = first == one ? two : one;
    long takes = moves();
    first.close();
    leaders.remove(first);
    coordinators.get(first == one ? 0 : 1).close();
    long t0 = System.currentTimeMillis();
    waitFor(standby::isLeader, 10_000);
    System.out.printf("leader: standby leads %d ms after the leader's session closed%n",
        System.currentTimeMillis() - t0);
    Thread.sleep(1000);
    assertThat(moves()).as("takes and releases (the new leader only checks the takeover links)").isEqualTo(takes);
    assertThat(q(A)).isEqualTo("gluster1");
    // and it acts: a node loss is handled by the new leader
    nodes.remove("gluster2").close();
    waitFor(() -> "gluster1".equals(q(B)), 10_000);
  }

  @Test
  void noHealthyNodeMeansNoTakeAndGaneshaDownIsNotAChoice() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    nodes.get("gluster1").setData().forPath(FailoverLeader.NODES + "/gluster1",
        "down: ganesha is not on the system bus".getBytes(StandardCharsets.UTF_8));
    leader("coord-a");
    publish(Failback.AUTO, 30);
    waitFor(() -> "gluster2".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
  }

  /**
   * Ganesha down on a live node (fault (a)): its agent releases the VIP and says {@code down}. The
   * leader sends grace 2 to it, then sets the new holder's takeover link to its records, then takes:
   * `vip move`'s order, so the address's NFSv4 clients can reclaim on the new holder. A failed link
   * does not stop a take; the journal says the clients could not reclaim.
   */
  @Test
  void aTakeComesAfterGrace2OnTheLiveOldHolderAndTheTakeoverLink() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0);
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    CuratorFramework g1 = nodes.get("gluster1");
    g1.setData().forPath(FailoverLeader.NODES + "/gluster1", "down: ganesha died".getBytes(StandardCharsets.UTF_8));
    g1.delete().forPath(FailoverLeader.VIPS + "/" + A); // what the agent's release does
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    // the link was kept in advance (PresetLinks), so it precedes grace 2 here
    assertThat(calls).containsSubsequence("link " + A + " gluster2->gluster1 state", "grace2 " + A + " gluster1",
        "take " + A + " gluster2");
    waitFor(() -> journalQuietly("coord-a").stream().anyMatch(r -> r.getFailover().getReason().equals("holder lost")),
        5_000);
    var lost = journal("coord-a").stream().map(JournalRecord::getFailover)
        .filter(f -> f.getReason().equals("holder lost")).findFirst().orElseThrow();
    assertThat(lost.getOldGraceMs()).isPositive().isLessThanOrEqualTo(lost.getTakenMs());
    assertThat(lost.getLinkPreset()).isTrue();
    assertThat(lost.getLinkMs()).isPositive().isLessThanOrEqualTo(lost.getTakenMs());
    assertThat(lost.getLinkError()).isEmpty();

    // gluster1's store broken before it is up again, then gluster2 lost: both VIPs go to gluster1. A's link
    // (to gluster2's records) could not be kept in advance nor set at the take: A goes without reclaim, and
    // the journal says so. B's link was kept right while gluster1 was up at the start: B needs no call.
    failLinks.add("gluster1");
    g1.setData().forPath(FailoverLeader.NODES + "/gluster1", "up".getBytes(StandardCharsets.UTF_8));
    nodes.remove("gluster2").close();
    waitFor(() -> "gluster1".equals(q(A)) && "gluster1".equals(q(B)), 10_000);
    waitFor(() -> journalQuietly("coord-a").stream().filter(r -> r.getFailover().getToNode().equals("gluster1")
        && r.getFailover().getReason().equals("holder lost")).count() == 2, 5_000);
    List<Failover> toGluster1 = journal("coord-a").stream().map(JournalRecord::getFailover)
        .filter(f -> f.getToNode().equals("gluster1") && f.getReason().equals("holder lost")).toList();
    assertThat(toGluster1).filteredOn(f -> f.getAddress().equals(A)).singleElement().satisfies(f -> {
      assertThat(f.getLinkError()).contains("not mounted");
      assertThat(f.getError()).isEmpty();
    });
    assertThat(toGluster1).filteredOn(f -> f.getAddress().equals(B)).singleElement().satisfies(f -> {
      assertThat(f.getLinkError()).isEmpty();
      assertThat(f.getLinkPreset()).isTrue();
    });
  }

  /**
   * PresetLinks: while nothing fails, every other NFS node gets the link it would need to take each held
   * VIP; the failover then makes no link call at all (a stalled recovery store cannot hold it up).
   */
  @Test
  void linksAreKeptInAdvanceAndTheFailoverMakesNoLinkCall() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0);
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    waitFor(() -> calls.contains("link " + A + " gluster2->gluster1 state")
        && calls.contains("link " + B + " gluster1->gluster2 state"), 5_000);
    int before = calls.size();
    nodes.remove("gluster1").close();
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    assertThat(calls.subList(before, calls.size())).containsExactly("take " + A + " gluster2");
    waitFor(() -> journalQuietly("coord-a").stream().anyMatch(r -> r.getFailover().getReason().equals("holder lost")),
        5_000);
    Failover lost = journal("coord-a").stream().map(JournalRecord::getFailover)
        .filter(f -> f.getReason().equals("holder lost")).findFirst().orElseThrow();
    assertThat(lost.getLinkPreset()).isTrue();
    assertThat(lost.getLinkMs()).isPositive().isLessThan(lost.getDetectedMs());
  }

  /**
   * An apply's or `vip move`'s hand-over (docs/ha.md): while {@code /brickyard/moving/<ip>} exists the
   * leader does not take the free VIP for its home; after the move away from home, failback (auto, 2 s)
   * waits the delay from the VIP's arrival, not from the home's (long past) return.
   */
  @Test
  void aMarkedVipIsLeftAloneAndAMoveAwayFromHomeReturnsAfterTheDelay() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.AUTO, 2);
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    Thread.sleep(2500); // the homes have been up longer than the delay
    int before = calls.size();
    String mark = OwnedVips.MOVING + "/" + A;
    observer.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(mark);
    nodes.get("gluster1").delete().forPath(FailoverLeader.VIPS + "/" + A); // the move's ReleaseVip
    Thread.sleep(1000);
    assertThat(q(A)).isNull();
    assertThat(calls.subList(before, calls.size())).isEmpty();
    nodes.get("gluster2").create().withMode(CreateMode.EPHEMERAL) // the move's TakeVip
        .forPath(FailoverLeader.VIPS + "/" + A, "gluster2".getBytes(StandardCharsets.UTF_8));
    observer.delete().forPath(mark);
    long moved = System.currentTimeMillis();
    waitFor(() -> "gluster1".equals(q(A)), 10_000);
    long back = System.currentTimeMillis() - moved;
    System.out.printf("leader: a VIP moved away from home came back %d ms after the move (failbackDelay 2 s)%n", back);
    assertThat(back).isGreaterThanOrEqualTo(1900);
    List<String> moves = calls.subList(before, calls.size()).stream().filter(c -> !c.startsWith("link ")).toList();
    assertThat(moves).containsExactly("release " + A + " gluster2", "take " + A + " gluster1");
    assertThat(calls.subList(before, calls.size())).containsSubsequence("link " + A + " gluster1->gluster2 state",
        "take " + A + " gluster1");
  }

  /** The takes and releases asked so far. */
  /**
   * Link or node loss: the holder's NFS port goes silent seconds before its session expires. The leader
   * sends grace 5 to the next holder at once (its takeover link first), and the take after the expiry
   * sends none: ganesha restarts its grace timer at every event, and a second one would make new clients
   * wait a full grace period from the take (EarlyGrace).
   */
  @Test
  void aSilentHolderGetsGrace5OnTheNextHolderEarlyAndItsTakeSendsNone() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0);
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    waitFor(() -> answering(A) == 1, 5_000);
    long t0 = System.currentTimeMillis();
    silent.add(A);
    waitFor(() -> calls.contains("grace5 " + A + " gluster2"), 5_000);
    System.out.printf("leader: early grace %d ms after the address went silent (probe every %d ms)%n",
        System.currentTimeMillis() - t0, EarlyGrace.PROBE_PERIOD.toMillis());
    assertThat(q(A)).as("an early grace moves nothing").isEqualTo("gluster1");
    assertThat(answering(A)).isZero();
    nodes.remove("gluster1").close(); // the session ends: the VIP is free
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    assertThat(calls).containsSubsequence("link " + A + " gluster2->gluster1 state", "grace5 " + A + " gluster2",
        "take " + A + " gluster2 without grace");
    assertThat(calls).filteredOn(c -> c.startsWith("grace5 ")).containsExactly("grace5 " + A + " gluster2");
    waitFor(() -> journalQuietly("coord-a").stream().anyMatch(r -> r.getFailover().getReason().equals("holder lost")),
        5_000);
    Failover lost = journal("coord-a").stream().map(JournalRecord::getFailover)
        .filter(f -> f.getReason().equals("holder lost")).findFirst().orElseThrow();
    assertThat(lost.getSuspectedMs()).isGreaterThanOrEqualTo(t0);
    assertThat(lost.getEarlyGraceMs()).isGreaterThanOrEqualTo(lost.getSuspectedMs())
        .isLessThanOrEqualTo(lost.getTakenMs());
    assertThat(lost.getGraceMs()).as("the take's own grace 5").isZero();
    assertThat(registry.get("brickyard.early.graces").counter().count()).isEqualTo(1);
  }

  /**
   * An early grace covers a take only while a lease of it is left (every moved client then has a lease to
   * notice the move and reclaim), and only while the address has not answered again since (clients that
   * reached the holder since were not in what the next holder read): otherwise the take sends grace 5.
   */
  @Test
  void anEarlyGraceTooOldOrAnsweredSinceDoesNotCoverTheTake() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0, new HaConfig.Grace(3, 2));
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    waitFor(() -> answering(A) == 1 && answering(B) == 1, 5_000);
    // B: silent, early grace on gluster1, then it answers again before its holder is lost
    silent.add(B);
    waitFor(() -> calls.contains("grace5 " + B + " gluster1"), 5_000);
    silent.remove(B);
    waitFor(() -> answering(B) == 1, 5_000);
    nodes.remove("gluster2").close();
    waitFor(() -> "gluster1".equals(q(B)), 10_000);
    assertThat(calls).contains("take " + B + " gluster1").doesNotContain("take " + B + " gluster1 without grace");

    // A: silent, early grace on... nobody: gluster2 is gone and gluster1 holds it. Back up, then silent again
    nodeUp("gluster2");
    silent.add(A);
    waitFor(() -> calls.contains("grace5 " + A + " gluster2"), 5_000);
    Thread.sleep(1_200); // of the 3 s early grace, less than the 2 s lease is left
    nodes.remove("gluster1").close();
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    assertThat(calls).contains("take " + A + " gluster2").doesNotContain("take " + A + " gluster2 without grace");
  }

  /**
   * Ganesha answers a grace event only once its in-flight requests are done (seconds, while they wait
   * for a lost brick). The take that comes meanwhile waits for the early grace's answer instead of
   * sending a second grace 5, which would restart ganesha's grace timer (a lab benchmark run read 4 s
   * later when the leader sent it again after a short deadline).
   */
  @Test
  void aSlowEarlyGraceIsWaitedForByTheTakeAndNeverSentTwice() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0);
    waitFor(() -> "gluster1".equals(q(A)), 10_000);
    waitFor(() -> answering(A) == 1, 5_000);
    graceTakeMillis = 2_000;
    silent.add(A);
    waitFor(() -> calls.contains("grace5 " + A + " gluster2"), 5_000);
    nodes.remove("gluster1").close(); // the VIP is free while the early grace waits for its answer
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    assertThat(calls).containsSubsequence("grace5 " + A + " gluster2", "take " + A + " gluster2 without grace");
    assertThat(calls).filteredOn(c -> c.startsWith("grace5 ")).hasSize(1);
  }

  /** A VIP never seen answering (the leader cannot reach its port 2049) is never suspected: no early grace. */
  @Test
  void aVipNeverSeenAnsweringIsNeverSuspected() throws Exception {
    silent.add(A);
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.MANUAL, 0);
    waitFor(() -> "gluster1".equals(q(A)), 10_000);
    Thread.sleep(3 * EarlyGrace.PROBE_PERIOD.toMillis());
    assertThat(answering(A)).isZero();
    nodes.remove("gluster1").close();
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    assertThat(calls).contains("take " + A + " gluster2").noneMatch(c -> c.startsWith("grace5 "));
  }

  /**
   * "Healthiest node": a home whose brick of an exported volume is offline (gluster's view, read by the
   * leader every 5 s) gets no failback until the brick is back, and the leader's metric names the node.
   */
  @Test
  void aHomeWithABrickOfflineGetsItsVipBackOnlyOnceTheBrickIsOnline() throws Exception {
    nodeUp("gluster1");
    nodeUp("gluster2");
    leader("coord-a");
    publish(Failback.AUTO, 1);
    waitFor(() -> "gluster1".equals(q(A)) && "gluster2".equals(q(B)), 10_000);
    nodes.remove("gluster1").close();
    waitFor(() -> "gluster2".equals(q(A)), 10_000);
    bricksOffline.add("gluster1");
    waitFor(() -> bricksOfflineGauge("gluster1") == 1, 15_000);
    nodeUp("gluster1");
    Thread.sleep(3_000); // three failback delays: up, but its brick is offline
    assertThat(q(A)).isEqualTo("gluster2");
    bricksOffline.remove("gluster1");
    long back = System.currentTimeMillis();
    waitFor(() -> "gluster1".equals(q(A)), 15_000);
    long took = System.currentTimeMillis() - back;
    System.out.printf("leader: failback %d ms after the home's brick came online (brick poll every %d s)%n", took,
        BrickHealth.POLL.toSeconds());
    assertThat(took).as("the failback delay counts from the bricks online too").isGreaterThanOrEqualTo(1_000);
    assertThat(bricksOfflineGauge("gluster1")).isZero();
    assertThat(bricksOfflineGauge("gluster2")).isZero();
    assertThat(volumeStatusReads.get()).as("a read that saw the brick offline, one that saw it online")
        .isGreaterThanOrEqualTo(2);
  }

  private double bricksOfflineGauge(String node) {
    var g = registry.find("brickyard.node.bricks.offline").tags("node", node).gauge();
    return g == null ? -1 : g.value();
  }

  /** brickyard_vip_answering for {@code ip}, -1 before the leader has probed it. */
  private double answering(String ip) {
    var g = registry.find("brickyard.vip.answering").tags("vip", ip).gauge();
    return g == null ? -1 : g.value();
  }

  private long moves() {
    synchronized (calls) {
      return calls.stream().filter(c -> c.startsWith("take ") || c.startsWith("release ")).count();
    }
  }

  private String q(String ip) {
    try {
      return holder(ip);
    } catch (Exception e) {
      return null;
    }
  }

  private List<JournalRecord> journalQuietly(String id) {
    try {
      return journal(id);
    } catch (Exception e) {
      return List.of();
    }
  }

  private List<JournalRecord> journal(String id) throws Exception {
    List<JournalRecord> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir.resolve("journal-" + id).resolve("journal"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JournalRecord.Builder b = JournalRecord.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(Files.readString(p), b);
        out.add(b.build());
      }
    }
    return out;
  }

  private static void waitFor(BooleanSupplier c, long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (!c.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(20);
    }
  }
}
