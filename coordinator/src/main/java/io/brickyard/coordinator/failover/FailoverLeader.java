package io.brickyard.coordinator.failover;

import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.coordinator.v1.Failover;
import io.brickyard.coordinator.Pools;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import io.brickyard.coordinator.vip.OwnedVips;
import io.brickyard.coordinator.vip.TakeoverLinks;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator side of automatic failover (docs/ha.md). Every coordinator runs one; Curator's
 * {@link LeaderLatch} on {@code /brickyard/leader} makes exactly one of them the leader, and only the
 * leader assigns. It never decides who holds an address: the agents' ephemeral znodes do
 * ({@code /brickyard/vips/<ip>}); the leader only asks a node to take a VIP that no session holds, and
 * the agent's create fails if one does. So two leaders for a moment (a deposed one that has not yet
 * noticed) can at worst ask two nodes to take a free VIP, and ZooKeeper lets one of them win.
 *
 * <p>Rules: a free VIP goes to its home node when the home's ganesha is up (its
 * {@code /brickyard/nodes/<node>} says {@code up}) and its bricks of the exported volumes are online
 * ({@link BrickHealth}), else to the NFS node with ganesha up, bricks online and the fewest VIPs
 * ({@link NodeChoice}), in `vip move`'s order so that NFSv4 clients reclaim: grace 2 to the old holder
 * when its agent is still alive (its node znode exists), the new holder's takeover link to the records
 * of the address's clients ({@link TakeoverLinks}, the last holder's, else the home's), then the take,
 * which sends grace 5 before it adds the address; the links a take would need are kept right in advance
 * ({@link PresetLinks}), and a held VIP whose NFS port stops answering gets its grace 5 on the likely
 * next holder before its holder's session expires ({@link EarlyGrace}), which the take then need not
 * repeat. With
 * {@code failback: auto} a VIP away from home moves back (release, then take) once the home node has
 * been up with its bricks of the exported volumes online, and the VIP on its present holder, for
 * {@code failbackDelay} (so a `vip move` away from home returns after the delay, not at once). A VIP
 * marked {@code /brickyard/moving/<ip>} (an apply or `vip move` handing it over, {@link OwnedVips}) is
 * left alone while the mark lives. Every assignment is journaled with its timeline and counted
 * ({@link FailoverRecords}).
 */
public final class FailoverLeader implements AutoCloseable {
  public static final String LEADER = "/brickyard/leader";
  public static final String VIPS = "/brickyard/vips";
  public static final String NODES = "/brickyard/nodes";
  private static final Logger log = LoggerFactory.getLogger(FailoverLeader.class);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(2);
  private static final long TICK_MILLIS = 250;

  private final CuratorFramework zk;
  private final FailoverAgents agents;
  private final FailoverRecords records;
  private final FailoverMetrics metrics;
  private final LeaderLatch latch;
  private final PresetLinks presetLinks;
  private final EarlyGrace earlyGrace;
  private final BrickHealth bricks;
  private final CuratorCache cache;
  /** Set once the cache holds every znode that existed when it started: nothing is decided before. */
  private volatile boolean cacheLoaded;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(Pools.daemon("failover-leader"));
  private final Map<String, String> lastHolder = new HashMap<>();
  private final Map<String, Long> freeSince = new HashMap<>();
  private final Map<String, Long> upSince = new HashMap<>();
  private final Map<String, Long> notBefore = new HashMap<>();
  private final Map<String, Long> holderDownSince = new HashMap<>();
  /** When each VIP's present holder got it: failback waits failbackDelay from the later of this and the home's up. */
  private final Map<String, Long> heldSince = new HashMap<>();
  /** Since when each NFS node has had no brick of an exported volume offline: failback counts from it too. */
  private final Map<String, Long> bricksOnlineSince = new HashMap<>();

  public FailoverLeader(CuratorFramework zk, String coordinatorId, FailoverAgents agents, Journal journal,
      MeterRegistry registry) {
    this(zk, coordinatorId, agents, journal, registry, NfsPortProbe.tcp(EarlyGrace.PROBE_TIMEOUT));
  }

  FailoverLeader(CuratorFramework zk, String coordinatorId, FailoverAgents agents, Journal journal,
      MeterRegistry registry, NfsPortProbe probe) {
    this.zk = zk;
    this.agents = agents;
    this.metrics = new FailoverMetrics(registry);
    this.records = new FailoverRecords(journal, metrics);
    this.latch = new LeaderLatch(zk, LEADER, coordinatorId);
    this.presetLinks = new PresetLinks(agents, System::currentTimeMillis);
    this.cache = CuratorCache.build(zk, "/brickyard");
    this.earlyGrace = new EarlyGrace(probe, System::currentTimeMillis, this::kick);
    this.bricks = new BrickHealth(agents, System::currentTimeMillis);
  }

  public void start() throws Exception {
    cache.listenable().addListener(CuratorCacheListener.builder().forAll((type, old, data) -> kick())
        .forInitialized(() -> {
          cacheLoaded = true;
          kick();
        }).build());
    cache.start();
    latch.start();
    earlyGrace.start();
    bricks.start();
    loop.scheduleWithFixedDelay(this::reconcileSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  public boolean isLeader() {
    return latch.hasLeadership();
  }

  /** The current leader's id, or empty when none is known. */
  public String leaderId() {
    try {
      return latch.getLeader().getId();
    } catch (Exception e) {
      return "";
    }
  }

  /** Publishes the HA configuration (after an apply of a spec with nfs and coordination sections). */
  public static void publish(CuratorFramework zk, HaConfig config) throws Exception {
    zk.create().orSetData().creatingParentContainersIfNeeded().forPath(HaConfig.PATH, config.bytes());
  }

  private void kick() {
    try {
      loop.execute(this::reconcileSafely);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: the cache still reports while it shuts down
    }
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      log.warn("failover reconcile: {}", e.toString());
    }
  }

  private Map<String, String> children(String parent) {
    Map<String, String> out = new TreeMap<>();
    cache.stream().filter(d -> d.getPath().startsWith(parent + "/"))
        .filter(d -> d.getPath().indexOf('/', parent.length() + 1) < 0)
        .forEach(d -> out.put(d.getPath().substring(parent.length() + 1), text(d)));
    return out;
  }

  private static String text(ChildData d) {
    return d.getData() == null ? "" : new String(d.getData(), StandardCharsets.UTF_8);
  }

  void reconcile() {
    if (!cacheLoaded) {
      return; // a partial view would see healthy nodes as absent and send their VIPs elsewhere
    }
    long now = System.currentTimeMillis();
    Map<String, String> holders = children(VIPS);
    Map<String, String> health = children(NODES);
    Map<String, String> moving = children(OwnedVips.MOVING);
    metrics.holders(holders);
    for (Map.Entry<String, String> h : holders.entrySet()) {
      if (!h.getValue().equals(lastHolder.put(h.getKey(), h.getValue()))) {
        heldSince.put(h.getKey(), now);
      }
    }
    for (String n : health.keySet()) {
      if ("up".equals(health.get(n))) {
        upSince.putIfAbsent(n, now);
        holderDownSince.remove(n);
      } else {
        upSince.remove(n);
        holderDownSince.putIfAbsent(n, now);
      }
    }
    upSince.keySet().retainAll(health.keySet());
    if (!latch.hasLeadership()) {
      freeSince.clear();
      earlyGrace.watch(Map.of()); // only the leader probes
      bricks.watch(null, health);
      return;
    }
    earlyGrace.watch(holders);
    metrics.answering(earlyGrace.answering());
    HaConfig cfg = cache.get(HaConfig.PATH).map(d -> HaConfig.parse(d.getData())).orElse(null);
    bricks.watch(cfg, health);
    if (cfg == null) {
      return;
    }
    Set<String> troubled = bricks.troubled();
    metrics.bricksOffline(cfg.nfsNodes(), bricks.offline());
    for (String n : cfg.nfsNodes()) {
      if (troubled.contains(n)) {
        bricksOnlineSince.remove(n);
      } else {
        bricksOnlineSince.putIfAbsent(n, now);
      }
    }
    for (HaConfig.Vip vip : cfg.vips()) {
      String ip = vip.ip();
      if (notBefore.getOrDefault(ip, 0L) > now) {
        continue;
      }
      if (moving.containsKey(ip)) {
        freeSince.remove(ip); // an apply or vip move is handing it over: neither assign nor fail back meanwhile
        continue;
      }
      String holder = holders.get(ip);
      if (holder != null) {
        freeSince.remove(ip);
        if (earlyGrace.due(ip, holder, cfg.grace())) {
          sendEarlyGrace(cfg, vip, holder, holders, health, troubled);
        }
        Long homeUp = upSince.get(vip.home());
        long since = homeUp == null ? now : Math.max(Math.max(homeUp, heldSince.getOrDefault(ip, now)),
            bricksOnlineSince.getOrDefault(vip.home(), now));
        if (!holder.equals(vip.home()) && cfg.failback() == Failback.AUTO && homeUp != null
            && now - since >= cfg.failbackDelaySeconds() * 1000L && cfg.nfsNodes().contains(vip.home())
            && !troubled.contains(vip.home()) && !markedNow(ip)) {
          move(cfg, vip, holder, vip.home(), now, FailoverMetrics.FAILBACK, holders);
        }
        continue;
      }
      long detected = freeSince.computeIfAbsent(ip, k -> {
        String old = lastHolder.get(ip);
        Long down = old == null ? null : holderDownSince.get(old);
        return down != null && down < now ? down : now;
      });
      String target = NodeChoice.choose(cfg, vip, holders, health, troubled);
      if (target == null || heldNow(ip) || markedNow(ip) || !upNow(target)) {
        continue;
      }
      String old = lastHolder.get(ip);
      assign(cfg, vip, old, target, detected, now, old == null ? FailoverMetrics.INITIAL : FailoverMetrics.HOLDER_LOST,
          health, holders);
    }
    presetLinks.keep(cfg, holders, health);
  }

  /**
   * A direct read before a take: the cache may not yet show a znode created a moment ago (by this
   * leader's own previous take, through another session), and a take of a held VIP is only refused.
   */
  private boolean heldNow(String ip) {
    return existsNow(VIPS + "/" + ip, true);
  }

  /**
   * Whether an apply or `vip move` is handing {@code ip} over, read directly: its mark is created before
   * its release deletes the VIP's znode, but the cache learns of a deleted znode from the watch event
   * itself and of a new child only after reading the parent again, so it can show the VIP free and no
   * mark; the leader then took the VIP home in the middle of the move (CI, FailoverLeaderTest). A read
   * after the deletion's event sees every write before it.
   */
  private boolean markedNow(String ip) {
    return existsNow(OwnedVips.MOVING + "/" + ip, true);
  }

  /**
   * The same for the chosen node: a lost node's VIP znodes and node znode vanish together, but the
   * cache may report the VIP first; a take sent to a node that is gone would only fail and wait.
   */
  private boolean upNow(String node) {
    try {
      return "up".equals(new String(zk.getData().forPath(NODES + "/" + node), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Whether {@code node}'s agent still has its session, read directly: the cache may report a lost
   * node's VIP znode before its node znode, though the ensemble deletes both in one transaction when the
   * session expires; grace 2 to a node that is gone would only wait for its deadline (seen in the lab:
   * 2 s of a link-down failover).
   */
  private boolean aliveNow(String node) {
    return existsNow(NODES + "/" + node, false);
  }

  /** {@code path} read from ZooKeeper, not the cache; {@code unreadable} when the read fails. */
  private boolean existsNow(String path, boolean unreadable) {
    try {
      return zk.checkExists().forPath(path) != null;
    } catch (Exception e) {
      return unreadable;
    }
  }

  /**
   * Grace 5 for {@code vip} on the node a take would choose without {@code holder}, whose NFS port no
   * longer answers ({@link EarlyGrace}); the takeover link first, as ganesha reads the records at the event.
   * On EarlyGrace's own thread: ganesha answers only once the requests holding its grace state are done,
   * seconds when they wait for a lost brick, and the take must not wait behind it.
   */
  private void sendEarlyGrace(HaConfig cfg, HaConfig.Vip vip, String holder, Map<String, String> holders,
      Map<String, String> health, Set<String> troubled) {
    Map<String, String> others = new TreeMap<>(health);
    others.remove(holder);
    String target = NodeChoice.choose(cfg, vip, holders, others, troubled);
    if (target == null) {
      return;
    }
    long suspected = earlyGrace.suspectedAt(vip.ip(), holder);
    earlyGrace.send(vip.ip(), () -> {
      long started = System.currentTimeMillis();
      Failover.Builder f = Failover.newBuilder().setSuspectedMs(suspected);
      link(cfg, vip, target, TakeoverLinks.recordsOf(holder, vip.home()), f);
      try {
        agents.graceTake(target, vip.ip());
        long at = System.currentTimeMillis();
        earlyGrace.sent(vip.ip(), new EarlyGrace.Sent(holder, target, at, f.setEarlyGraceMs(at)), started);
        metrics.earlyGrace();
        log.info("early grace 5 for {} on {}: its NFS port on {} stopped answering {} ms ago", vip.ip(), target,
            holder, at - suspected);
      } catch (RuntimeException e) {
        log.info("early grace 5 for {} on {} failed (the take will send it): {}", vip.ip(), target, e.getMessage());
      }
      kick();
    });
  }

  /**
   * A free VIP to {@code target}, in `vip move`'s order (docs/nfs.md): grace 2 on the old holder when its
   * agent lives (it releases the address's client state there; bounded by
   * {@link FailoverAgents#GRACE_RELEASE_DEADLINE}, as ganesha may be the thing that died), the takeover link
   * on the target to the records of the address's clients, then the take (znode, grace 5, address, ARP).
   */
  private void assign(HaConfig cfg, HaConfig.Vip vip, String old, String target, long detected, long expired,
      String reason, Map<String, String> health, Map<String, String> holders) {
    EarlyGrace.Sent early = earlyGrace.takeSent(vip.ip(), FailoverAgents.EARLY_GRACE_DEADLINE)
        .filter(s -> s.node().equals(target)).orElse(null);
    boolean covered = early != null && early.covers(target, System.currentTimeMillis(), cfg.grace());
    Failover.Builder f = (early != null ? early.record() : Failover.newBuilder()).setAddress(vip.ip())
        .setFromNode(old == null ? "" : old).setToNode(target).setReason(reason).setDetectedMs(detected)
        .setExpiredMs(expired);
    try {
      if (old != null && !old.equals(target) && health.containsKey(old) && aliveNow(old)) {
        try {
          agents.graceRelease(old, vip.ip());
          f.setOldGraceMs(System.currentTimeMillis());
        } catch (RuntimeException e) {
          log.info("grace 2 for {} on {} (old holder) failed: {}", vip.ip(), old, e.getMessage());
        }
      }
      if (!covered) {
        link(cfg, vip, target, TakeoverLinks.recordsOf(old, vip.home()), f);
      }
      VipOwnershipResult r = agents.take(target, vip, !covered);
      f.setTakenMs(r.getClaimedAtMs()).setArpMs(r.getAddedAtMs()).setGraceMs(r.getGraceAtMs());
      holders.put(vip.ip(), target);
      lastHolder.put(vip.ip(), target);
      heldSince.put(vip.ip(), System.currentTimeMillis());
      freeSince.remove(vip.ip());
    } catch (RuntimeException e) {
      f.setError(e.getMessage() == null ? e.toString() : e.getMessage());
      notBefore.put(vip.ip(), System.currentTimeMillis() + RETRY_AFTER_FAILURE.toMillis());
    }
    records.record(f);
  }

  /** A held VIP from {@code from} to {@code to}: release (address, grace 2, znode), link, take. */
  private void move(HaConfig cfg, HaConfig.Vip vip, String from, String to, long detected, String reason,
      Map<String, String> holders) {
    Failover.Builder f = Failover.newBuilder().setAddress(vip.ip()).setFromNode(from).setToNode(to)
        .setReason(reason).setDetectedMs(detected);
    try {
      VipOwnershipResult rel = agents.release(from, vip.ip());
      f.setReleasedMs(rel.getRemovedAtMs()).setOldGraceMs(rel.getGraceAtMs()).setExpiredMs(rel.getReleasedAtMs());
      link(cfg, vip, to, from, f);
      VipOwnershipResult r = agents.take(to, vip, true);
      f.setTakenMs(r.getClaimedAtMs()).setArpMs(r.getAddedAtMs()).setGraceMs(r.getGraceAtMs());
      holders.put(vip.ip(), to);
      lastHolder.put(vip.ip(), to);
      heldSince.put(vip.ip(), System.currentTimeMillis());
    } catch (RuntimeException e) {
      f.setError(e.getMessage() == null ? e.toString() : e.getMessage());
      notBefore.put(vip.ip(), System.currentTimeMillis() + RETRY_AFTER_FAILURE.toMillis());
    }
    records.record(f);
  }

  /**
   * The takeover link before a take. A failure does not stop the take: an address served without
   * reclaim (its clients' locks and opens are lost, their data is not) beats an address served by nobody.
   * The journal says so ({@code link_error}).
   */
  private void link(HaConfig cfg, HaConfig.Vip vip, String node, String recordsNode, Failover.Builder f) {
    if (cfg.recovery() == null) {
      f.setLinkError("no recovery store in " + HaConfig.PATH + " (published before it was): apply the spec again");
      return;
    }
    OptionalLong preset = presetLinks.seenRight(node, vip.ip(), recordsNode);
    if (preset.isPresent()) {
      f.setLinkMs(preset.getAsLong()).setLinkPreset(true);
      return;
    }
    try {
      agents.takeoverLink(node, vip.ip(), recordsNode, cfg.recovery());
      presetLinks.record(node, vip.ip(), recordsNode);
      f.setLinkMs(System.currentTimeMillis());
    } catch (RuntimeException e) {
      f.setLinkError(e.getMessage() == null ? e.toString() : e.getMessage());
      log.warn("takeover link {} -> {} on {} failed (taking it anyway; its clients cannot reclaim): {}", vip.ip(),
          recordsNode, node, f.getLinkError());
    }
  }

  List<String> meterNames() {
    return FailoverMetrics.names();
  }

  @Override
  public void close() throws Exception {
    loop.shutdown(); // not shutdownNow: an interrupt would cut a journal write short
    if (!loop.awaitTermination(10, TimeUnit.SECONDS)) {
      loop.shutdownNow();
    }
    presetLinks.close();
    earlyGrace.close();
    bricks.close();
    latch.close();
    cache.close();
  }
}
