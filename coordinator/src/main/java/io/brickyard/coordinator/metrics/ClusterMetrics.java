package io.brickyard.coordinator.metrics;

import io.brickyard.api.coordinator.v1.BrickView;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.PeerView;
import io.brickyard.api.coordinator.v1.VolumeView;
import io.brickyard.coordinator.Pools;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as the coordinator sees it, as Prometheus gauges (docs/metrics.md): node
 * reachability, peers, volumes, bricks, heal backlog and split-brain. Refreshed on a fixed interval
 * from the same collection {@code brickyard status} shows (one facts call per node, then the pool,
 * volumes, brick status and heal summary from the first node whose glusterd answers), not on
 * scrape: it asks every agent and the gluster CLI, which is too slow and too much load to repeat
 * for every scraper.
 *
 * <p>Names follow gluster-prometheus where the meaning is the same ({@code gluster_volume_up},
 * {@code gluster_brick_up}, {@code gluster_volume_heal_count}, {@code gluster_peer_connected}),
 * with its label names ({@code volume}, {@code hostname}, {@code brick_path}). Rows are replaced as
 * a whole: a volume that was deleted stops being reported. When no glusterd answered, the gluster
 * rows are dropped (and {@code brickyard_coordinator_gluster_reachable} is 0) rather than kept stale.
 */
public final class ClusterMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterMetrics.class);
  private final Supplier<ClusterStatus> collect;
  private final Timer refreshTime;
  private final AtomicLong lastRefresh = new AtomicLong();
  private final List<Family> families = new ArrayList<>();
  private ScheduledExecutorService timer;

  private record Family(MultiGauge gauge, Function<ClusterStatus, List<? extends MultiGauge.Row<?>>> rows) {}

  public ClusterMetrics(Supplier<ClusterStatus> collect, MeterRegistry registry) {
    this.collect = collect;
    this.refreshTime = Timer.builder("brickyard_coordinator_cluster_refresh")
        .description("Time to collect the cluster state for the metrics (every agent's facts, gluster pool, volumes, heal)")
        .register(registry);
    Gauge.builder("brickyard_coordinator_cluster_refresh_timestamp_seconds", () -> lastRefresh.get() / 1000.0)
        .description("When the cluster metrics were last refreshed (Unix seconds); stale values are older than the interval")
        .register(registry);
    family(registry, "brickyard_node_reachable", "1 when the node's agent answered (hostname = the coordinator's node name)",
        st -> st.getNodesList().stream().map(n -> row(n.getReachable() ? 1 : 0, "hostname", n.getName())).toList());
    family(registry, "brickyard_coordinator_gluster_reachable", "1 when a glusterd answered, so the gluster_* rows are current",
        st -> List.of(row(st.getPeersCount() > 0 || st.getVolumesCount() > 0 ? 1 : 0)));
    family(registry, "gluster_peer_connected", "1 when the peer is connected, as the reporting node's glusterd sees it",
        st -> st.getPeersList().stream().map(p -> row(p.getConnected() ? 1 : 0, "hostname", peerName(p), "state", p.getState())).toList());
    family(registry, "gluster_volume_up", "1 when the volume is started (type = gluster's volume type)",
        st -> st.getVolumesList().stream().map(v -> row(v.getStatus().equals("Started") ? 1 : 0, "volume", v.getName(),
            "type", v.getType())).toList());
    family(registry, "gluster_brick_up", "1 when the brick process is online",
        st -> bricks(st, b -> b.getOnline() ? 1 : 0, b -> true));
    family(registry, "gluster_volume_heal_count", "Entries needing heal on the brick (gluster's total, split-brain included)",
        st -> bricks(st, BrickView::getHealPendingEntries, b -> b.getHealPendingEntries() >= 0));
    family(registry, "gluster_volume_split_brain_heal_count", "Entries in split-brain on the brick: no self-heal fixes them",
        st -> bricks(st, BrickView::getHealSplitBrainEntries, b -> b.getHealSplitBrainEntries() >= 0));
  }

  /** Refreshes now and then every {@code interval} on a daemon thread of its own. */
  public ClusterMetrics start(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(Pools.daemon("cluster-metrics"));
    timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One collection; failures keep the previous values (the refresh timestamp then stops moving). */
  public void refresh() {
    long t0 = System.nanoTime();
    ClusterStatus st;
    try {
      st = collect.get();
    } catch (RuntimeException e) {
      log.warn("collecting the cluster state for metrics failed: {}", e.toString());
      return;
    }
    refreshTime.record(Duration.ofNanos(System.nanoTime() - t0));
    for (Family f : families) {
      f.gauge().register(f.rows().apply(st), true);
    }
    lastRefresh.set(System.currentTimeMillis());
  }

  /** The reporting node lists itself as "localhost": use its node name, which the other peers see. */
  private static String peerName(PeerView p) {
    return p.getHostname().equals("localhost") ? p.getNode() : p.getHostname();
  }

  private static List<MultiGauge.Row<Number>> bricks(ClusterStatus st, java.util.function.ToLongFunction<BrickView> value,
      java.util.function.Predicate<BrickView> known) {
    List<MultiGauge.Row<Number>> out = new ArrayList<>();
    for (VolumeView v : st.getVolumesList()) {
      for (BrickView b : v.getBricksList()) {
        if (known.test(b)) {
          int colon = b.getName().indexOf(':');
          out.add(row(value.applyAsLong(b), "volume", v.getName(), "hostname", colon < 0 ? "" : b.getName().substring(0, colon),
              "brick_path", b.getName().substring(colon + 1)));
        }
      }
    }
    return out;
  }

  private void family(MeterRegistry registry, String name, String help,
      Function<ClusterStatus, List<? extends MultiGauge.Row<?>>> rows) {
    families.add(new Family(MultiGauge.builder(name).description(help).register(registry), rows));
  }

  private static MultiGauge.Row<Number> row(double value, String... tags) {
    return MultiGauge.Row.of(Tags.of(tags), value);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
