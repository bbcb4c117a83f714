package io.brickyard.coordinator.failover;

import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.GlusterVolumes;
import io.brickyard.coordinator.Pools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which NFS nodes have a brick of an exported volume offline, for the leader's choice of a node
 * (issue 11: "the healthiest NFS node: fewest VIPs, ganesha healthy, bricks of the exported volumes
 * online") and for failback (a home whose bricks are not back is not healthy yet).
 *
 * <p>Why a node's own bricks: ganesha serves a volume through gfapi from whichever bricks answer, so a
 * node with a brick offline still serves; but the brick's absence says the node is sick (a failed disk,
 * a brick process that died, glusterd restarting after a reboot), its replicas are being healed, and
 * the node reads over the network what it would read locally. Among nodes with ganesha up, one with
 * every brick online is the better holder.
 *
 * <p>How: gluster's own view, {@code volume status} (through the agents' {@code GetVolumes} with status
 * and without heal counts), read every {@link #POLL} on a thread of its own, never on the leader's
 * decision loop, from the first NFS node whose ganesha is up (the next one when that read fails). A view
 * older than {@link #STALE_AFTER} is not used: no node is held back on old news, and without any view
 * every node counts as healthy (the choice is then the one made before this existed).
 */
final class BrickHealth implements AutoCloseable {
  static final Duration POLL = Duration.ofSeconds(5);
  static final Duration STALE_AFTER = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(BrickHealth.class);

  /** What was asked: the exported volumes and the NFS nodes, those whose ganesha is up first. */
  private record Ask(List<String> volumes, List<String> nodes) {}

  /** One read: when, and each node's offline bricks of the exported volumes ("vol1:/path"). */
  record View(long atMs, Map<String, List<String>> offline) {}

  private final FailoverAgents agents;
  private final LongSupplier clock;
  private volatile Ask ask;
  private volatile View view;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(Pools.daemon("brick-health"));

  BrickHealth(FailoverAgents agents, LongSupplier clock) {
    this.agents = agents;
    this.clock = clock;
  }

  void start() {
    poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What to read (the leader, each round); {@code null} config, or none exported: nothing is read. */
  void watch(HaConfig cfg, Map<String, String> health) {
    if (cfg == null || cfg.exportedVolumes().isEmpty()) {
      ask = null;
      return;
    }
    List<String> order = new ArrayList<>();
    cfg.nfsNodes().stream().filter(n -> "up".equals(health.get(n))).forEach(order::add);
    cfg.nfsNodes().stream().filter(n -> !order.contains(n)).forEach(order::add);
    ask = new Ask(cfg.exportedVolumes(), order);
  }

  /** Nodes with a brick of an exported volume offline, by a view no older than {@link #STALE_AFTER}. */
  Set<String> troubled() {
    return offline().keySet();
  }

  /** The last view's offline bricks per node; empty without a view no older than {@link #STALE_AFTER}. */
  Map<String, List<String>> offline() {
    View v = view;
    return v == null || clock.getAsLong() - v.atMs() > STALE_AFTER.toMillis() ? Map.of() : v.offline();
  }

  void poll() {
    Ask a = ask;
    if (a == null) {
      return;
    }
    for (String node : a.nodes()) {
      try {
        view = new View(clock.getAsLong(), offline(agents.volumeStatus(node), a.volumes(), a.nodes()));
        return;
      } catch (RuntimeException e) {
        log.debug("brick status from {} failed: {}", node, e.getMessage());
      }
    }
    log.info("brick status: no NFS node answered ({}); the last view ages out after {} s", a.nodes(),
        STALE_AFTER.toSeconds());
  }

  /**
   * Each of {@code nodes}' offline bricks of {@code exported} started volumes. A brick's host is the
   * node's name: the spec names bricks {@code node:/path}. A stopped volume is nobody's fault.
   */
  static Map<String, List<String>> offline(GlusterVolumes volumes, List<String> exported, List<String> nodes) {
    Map<String, List<String>> out = new TreeMap<>();
    for (GlusterVolume v : volumes.getVolumesList()) {
      if (!exported.contains(v.getName()) || !v.getStatus().equals("Started")) {
        continue;
      }
      for (GlusterBrick b : v.getBricksList()) {
        if (!b.getOnline() && nodes.contains(b.getHost())) {
          out.computeIfAbsent(b.getHost(), k -> new ArrayList<>()).add(v.getName() + ":" + b.getPath());
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    poller.shutdownNow();
    poller.awaitTermination(FailoverAgents.VOLUME_STATUS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }
}
