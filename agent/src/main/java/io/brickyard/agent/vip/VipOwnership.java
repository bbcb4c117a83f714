package io.brickyard.agent.vip;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.common.zk.ZkAcls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node holds a VIP only while its ZooKeeper session holds the VIP's ephemeral znode
 * {@code /brickyard/vips/<ip>} (docs/ha.md). The order that makes two holders impossible:
 *
 * <ol>
 *   <li>take: create the znode (fails if any live session holds it), send grace event 5 when asked (before
 *       the address, so that the address's clients can reclaim), only then add the address;</li>
 *   <li>on SUSPENDED or LOST (Curator's connection states) remove every address at once, without
 *       waiting for any lock an RPC or an apply may hold; the znode stays until the ensemble expires the
 *       session, which happens a third of the session timeout later at the earliest (docs/ha.md,
 *       "Timeouts"), so nobody else can take the address before it is gone here;</li>
 *   <li>on RECONNECTED with the same session, put back the addresses whose znodes this session still
 *       owns; after a new session, none (the coordinator leader assigns them again);</li>
 *   <li>release: remove the address, then delete the znode.</li>
 * </ol>
 *
 * <p>At start no session of this process holds anything, so every VIP-labelled address on the link
 * (left by a previous run of the agent) is removed. The agent also reads ganesha's health every second
 * ({@link #checkGanesha}), publishes it in the ephemeral {@code /brickyard/nodes/<node>}, and releases
 * its VIPs when ganesha is down: a dead ganesha costs one check, not a session timeout.
 */
public final class VipOwnership implements AutoCloseable {
  public static final String VIPS = ZkAcls.ROOT + "/vips";
  public static final String NODES = ZkAcls.ROOT + "/nodes";
  private static final Logger log = LoggerFactory.getLogger(VipOwnership.class);

  /** Sends a grace event to this node's ganesha. */
  public interface GraceSender {
    void send(GraceEvent event, String address);
  }

  private record Claim(EnsureVipPresentRequest add) {}

  private final CuratorFramework zk;
  private final String node;
  private final VipLink link;
  private final GraceSender grace;
  private final Consumer<String> events;
  private final Map<String, Claim> claims = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final ReentrantLock ops = new ReentrantLock();
  private final PersistentNode nodeZnode;
  private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ganesha-watch");
    t.setDaemon(true);
    return t;
  });
  /** Sends a take's grace event while the duplicate address probe runs. */
  private final ExecutorService graceSender = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "grace-event");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean connected;
  private volatile String health = "unknown";

  VipOwnership(CuratorFramework zk, String node, VipLink link, GraceSender grace, Consumer<String> events) {
    this.zk = zk;
    this.node = node;
    this.link = link;
    this.grace = grace;
    this.events = events;
    this.nodeZnode = new PersistentNode(zk, CreateMode.EPHEMERAL, false, NODES + "/" + node, bytes("unknown"));
  }

  /** Real link, real grace; {@code zk} not started yet. */
  public static VipOwnership create(CuratorFramework zk, String node, io.brickyard.common.exec.CommandRunner runner,
      GraceSender grace) {
    return new VipOwnership(zk, node, VipLink.real(runner), grace, e -> log.info("{}", e));
  }

  /** Clears the link of VIPs no session of this process holds, then connects. */
  public void start() {
    for (String a : link.held()) {
      link.remove(a);
      events.accept("start: removed " + a + " (held before this agent's session existed)");
    }
    zk.getConnectionStateListenable().addListener((c, s) -> onState(s));
    zk.start();
    nodeZnode.start();
  }

  /** Reads ganesha every {@code periodMillis} ms; releases every VIP while it is down. */
  public void watchGanesha(Supplier<GaneshaHealth> read, long periodMillis) {
    watch.scheduleWithFixedDelay(() -> checkGanesha(read.get()), 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  void checkGanesha(GaneshaHealth h) {
    String now = h.getUp() ? "up" : "down: " + h.getDetail();
    if (!now.equals(health)) {
      try {
        // until its first create the node refuses data: keep the old value so the next check tries again
        nodeZnode.setData(bytes(now));
        health = now;
        events.accept("ganesha " + now);
      } catch (Exception e) {
        log.debug("cannot publish ganesha's health yet: {}", e.toString());
      }
    }
    if (!h.getUp()) {
      for (String a : new ArrayList<>(claims.keySet())) {
        try {
          release(a, false);
          events.accept("released " + a + ": ganesha " + now);
        } catch (RuntimeException e) {
          log.warn("cannot release {} with ganesha down: {}", a, e.toString());
        }
      }
    }
  }

  void onState(ConnectionState s) {
    switch (s) {
      case SUSPENDED, LOST -> {
        connected = false;
        epoch.incrementAndGet();
        for (String a : new ArrayList<>(claims.keySet())) {
          try {
            link.remove(a);
            events.accept(s + ": removed " + a);
          } catch (RuntimeException e) {
            log.error("cannot remove {} after ZooKeeper {}: {}", a, s, e.toString());
          }
        }
        if (s == ConnectionState.LOST) {
          claims.clear();
        }
      }
      case CONNECTED -> connected = true;
      case RECONNECTED -> {
        connected = true;
        restore();
      }
      default -> { }
    }
  }

  /** After a reconnect: addresses back only where this same session still owns the znode. */
  private void restore() {
    ops.lock();
    try {
      long sid = sessionId();
      long e = epoch.get();
      for (Map.Entry<String, Claim> c : new ArrayList<>(claims.entrySet())) {
        Stat st = zk.checkExists().forPath(VIPS + "/" + c.getKey());
        if (st != null && st.getEphemeralOwner() == sid && epoch.get() == e && connected) {
          link.add(c.getValue().add(), () -> { });
          events.accept("RECONNECTED: added " + c.getKey() + " again (session " + Long.toHexString(sid) + ")");
        } else {
          claims.remove(c.getKey());
          events.accept("RECONNECTED: " + c.getKey() + " no longer ours");
        }
      }
    } catch (Exception ex) {
      log.warn("restore after reconnect failed: {}", ex.toString());
    } finally {
      ops.unlock();
    }
  }

  public boolean connected() {
    return connected;
  }

  public List<String> claimed() {
    return List.copyOf(claims.keySet());
  }

  public VipOwnershipResult take(EnsureVipPresentRequest add, boolean sendGrace) {
    Ipv4 vip = Ipv4.parseCidr("address", add.getAddress());
    String address = vip.address();
    String path = VIPS + "/" + address;
    VipOwnershipResult.Builder r = VipOwnershipResult.newBuilder();
    ops.lock();
    try {
      if (!connected) {
        throw new RefusedException("not connected to ZooKeeper: cannot take " + address);
      }
      long e = epoch.get();
      long sid = sessionId();
      r.setSession(Long.toHexString(sid));
      boolean ours = false;
      try {
        zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, bytes(node));
        r.setClaimedAtMs(System.currentTimeMillis());
      } catch (KeeperException.NodeExistsException ex) {
        Stat st = new Stat();
        String holder = new String(zk.getData().storingStatIn(st).forPath(path), StandardCharsets.UTF_8);
        if (st.getEphemeralOwner() != sid) {
          throw new RefusedException("VIP " + address + " is held by " + holder + " (ZooKeeper session "
              + Long.toHexString(st.getEphemeralOwner()) + "): it must release it, or its session expire, first");
        }
        ours = true;
      }
      claims.put(address, new Claim(add));
      // grace 5 before the address: ganesha decides once, when a client confirms its client id,
      // whether it may reclaim; a client arriving before the event could never reclaim (docs/nfs.md).
      // It runs while the duplicate address probe waits, and the add waits for it.
      CompletableFuture<Long> graceAt = sendGrace && (!ours || !link.held().contains(address))
          ? CompletableFuture.supplyAsync(() -> sendGrace(GraceEvent.GRACE_EVENT_TAKE_ADDRESS, address), graceSender)
          : CompletableFuture.completedFuture(0L);
      OperationResult added;
      try {
        added = link.add(add, graceAt::join);
      } catch (RuntimeException ex) {
        claims.remove(address);
        removeQuietly(address); // a failed announce comes after the address went on
        deleteIfOurs(path, sid);
        throw ex;
      }
      r.setGraceAtMs(graceAt.join());
      if (epoch.get() != e || !connected) {
        link.remove(address);
        throw new RefusedException("the ZooKeeper connection was lost during the take of " + address
            + ": address removed again");
      }
      r.setAddedAtMs(System.currentTimeMillis());
      events.accept("took " + address);
      return r.setResult(added).build();
    } catch (RuntimeException ex) {
      throw ex;
    } catch (Exception ex) {
      throw new RefusedException("ZooKeeper: " + ex.getMessage());
    } finally {
      ops.unlock();
    }
  }

  public VipOwnershipResult release(String rawAddress, boolean sendGrace) {
    Ipv4 vip = Ipv4.parseAddress("address", rawAddress);
    String address = vip.address();
    VipOwnershipResult.Builder r = VipOwnershipResult.newBuilder();
    ops.lock();
    try {
      claims.remove(address);
      OperationResult removed = link.remove(address);
      r.setRemovedAtMs(System.currentTimeMillis());
      if (sendGrace && removed.getChanged()) {
        r.setGraceAtMs(sendGrace(GraceEvent.GRACE_EVENT_RELEASE_ADDRESS, address));
      }
      if (connected) {
        long sid = sessionId();
        r.setSession(Long.toHexString(sid));
        if (deleteIfOurs(VIPS + "/" + address, sid)) {
          r.setReleasedAtMs(System.currentTimeMillis());
        }
      }
      events.accept("released " + address);
      return r.setResult(removed).build();
    } catch (RuntimeException ex) {
      throw ex;
    } catch (Exception ex) {
      throw new RefusedException("ZooKeeper: " + ex.getMessage());
    } finally {
      ops.unlock();
    }
  }

  /** When the event was answered (Unix ms), or 0 when it failed: a failed grace does not stop a take or release. */
  private long sendGrace(GraceEvent ev, String address) {
    try {
      grace.send(ev, address);
      return System.currentTimeMillis();
    } catch (RuntimeException ex) {
      log.warn("grace {} for {} failed: {}", ev, address, ex.getMessage());
      return 0;
    }
  }

  private void removeQuietly(String address) {
    try {
      link.remove(address);
    } catch (RuntimeException ex) {
      log.error("cannot remove {} after a failed take: {}", address, ex.toString());
    }
  }

  private boolean deleteIfOurs(String path, long sid) throws Exception {
    Stat st = zk.checkExists().forPath(path);
    if (st == null || st.getEphemeralOwner() != sid) {
      return false;
    }
    try {
      zk.delete().withVersion(st.getVersion()).forPath(path);
      return true;
    } catch (KeeperException.NoNodeException e) {
      return false;
    }
  }

  private long sessionId() throws Exception {
    return zk.getZookeeperClient().getZooKeeper().getSessionId();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    watch.shutdownNow();
    graceSender.shutdown();
    for (String a : new ArrayList<>(claims.keySet())) {
      try {
        release(a, false);
      } catch (RuntimeException e) {
        log.warn("cannot release {} at shutdown: {}", a, e.toString());
      }
    }
    try {
      nodeZnode.close();
    } catch (Exception e) {
      log.debug("closing the node znode", e);
    }
    zk.close();
  }
}
