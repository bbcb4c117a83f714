package io.brickyard.agent.metrics;

import io.brickyard.agent.AgentContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's storage metrics (docs/metrics.md): thin pools, volume groups, brick filesystems,
 * storage services and held VIPs, read from the node when Prometheus scrapes and kept for
 * {@link #MAX_AGE}, so two Prometheus servers scraping the same agent (an HA pair) cost one read,
 * and an agent nobody scrapes runs nothing. Names follow gluster-prometheus where the meaning is
 * the same ({@code gluster_thinpool_*}); the rest are {@code brickyard_*} (see docs/metrics.md for
 * why they differ).
 *
 * <p>Rows are replaced as a whole on each read (Micrometer {@link MultiGauge} with overwrite): a
 * pool or brick that disappeared from the node disappears from /metrics at the next read.
 *
 * <p>A scrape waits at most {@link #SCRAPE_WAIT} for the read. A node whose LVM or a brick's
 * filesystem hangs (a suspended device-mapper table, a dying disk) must not make the agent look
 * down: the read goes on in its own thread (one at a time, each command capped by
 * {@link NodeReads#COMMAND_TIMEOUT}) and the scrape answers with the last values meanwhile, which
 * {@code brickyard_agent_node_read_seconds} then shows as a long read.
 */
public final class NodeMetrics {
  static final Duration MAX_AGE = Duration.ofSeconds(5);
  static final Duration SCRAPE_WAIT = Duration.ofSeconds(3);
  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);
  private final Supplier<NodeSnapshot> reads;
  private final LongSupplier clock;
  private final Timer readTime;
  private final List<Row> rows = new ArrayList<>();
  private long readAt = Long.MIN_VALUE;
  private final java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "node-metrics-read");
    t.setDaemon(true);
    return t;
  });
  private java.util.concurrent.Future<?> inFlight;

  /** One exported family: its gauge and how to get its rows from a snapshot. */
  private record Row(MultiGauge gauge, java.util.function.Function<NodeSnapshot, List<? extends MultiGauge.Row<?>>> rows) {}

  public NodeMetrics(AgentContext ctx) {
    this(new NodeReads(ctx)::read, ctx.metrics(), System::nanoTime);
  }

  NodeMetrics(Supplier<NodeSnapshot> reads, MeterRegistry registry, LongSupplier clock) {
    this.reads = reads;
    this.clock = clock;
    this.readTime = Timer.builder("brickyard_agent_node_read")
        .description("Time to read the node for the storage metrics (lvs, vgs, fstab, findmnt, df, units, ip addr)")
        .register(registry);
    family(registry, "gluster_thinpool_data_total_bytes", "Thin pool data size (lv_size of the pool)",
        s -> s.thinPools().stream().map(p -> row(p.dataTotal(), "vg_name", p.vg(), "thinpool_name", p.pool())).toList());
    family(registry, "gluster_thinpool_data_used_bytes", "Thin pool data in use (lv_size x data_percent)",
        s -> s.thinPools().stream().map(p -> row(p.dataUsed(), "vg_name", p.vg(), "thinpool_name", p.pool())).toList());
    family(registry, "gluster_thinpool_metadata_total_bytes", "Thin pool metadata size (lv_metadata_size)",
        s -> s.thinPools().stream().map(p -> row(p.metadataTotal(), "vg_name", p.vg(), "thinpool_name", p.pool())).toList());
    family(registry, "gluster_thinpool_metadata_used_bytes", "Thin pool metadata in use (lv_metadata_size x metadata_percent)",
        s -> s.thinPools().stream().map(p -> row(p.metadataUsed(), "vg_name", p.vg(), "thinpool_name", p.pool())).toList());
    family(registry, "brickyard_vg_size_bytes", "Volume group size",
        s -> s.vgs().stream().map(v -> row(v.size(), "vg_name", v.vg())).toList());
    family(registry, "brickyard_vg_free_bytes", "Volume group space not allocated to any LV",
        s -> s.vgs().stream().map(v -> row(v.free(), "vg_name", v.vg())).toList());
    family(registry, "brickyard_brick_fs_mounted", "1 when the brick filesystem (fstab line managed by brickyard) is mounted",
        s -> s.bricks().stream().map(b -> row(b.mounted() ? 1 : 0, "mountpoint", b.mountPoint())).toList());
    family(registry, "brickyard_brick_fs_size_bytes", "Brick filesystem size (df size)",
        s -> mountedRows(s, NodeSnapshot.BrickFs::size));
    family(registry, "brickyard_brick_fs_used_bytes", "Brick filesystem space used (df used)",
        s -> mountedRows(s, NodeSnapshot.BrickFs::used));
    family(registry, "brickyard_brick_fs_free_bytes", "Brick filesystem space available for new data (df avail)",
        s -> mountedRows(s, NodeSnapshot.BrickFs::avail));
    family(registry, "brickyard_brick_fs_inodes", "Brick filesystem inodes (df itotal)",
        s -> mountedRows(s, NodeSnapshot.BrickFs::inodes));
    family(registry, "brickyard_brick_fs_inodes_free", "Brick filesystem free inodes (df iavail)",
        s -> mountedRows(s, NodeSnapshot.BrickFs::inodesFree));
    family(registry, "brickyard_service_up", "1 when the unit is active (installed units among glusterd, nfs-ganesha, firewalld)",
        s -> s.services().entrySet().stream().map(e -> row(e.getValue() ? 1 : 0, "unit", e.getKey())).toList());
    family(registry, "brickyard_vip_held", "1 for every NFS virtual IP this node holds (address label IF:by)",
        s -> s.vips().stream().map(v -> row(1, "address", v.address(), "interface", v.iface())).toList());
    family(registry, "brickyard_agent_node_read_ok", "1 when the last read of this source worked (lvm, bricks, services, vips)",
        s -> s.readOk().entrySet().stream().map(e -> row(e.getValue() ? 1 : 0, "source", e.getKey())).toList());
  }

  /**
   * Reads the node unless the last read is younger than {@link #MAX_AGE}, waiting for it at most
   * {@link #SCRAPE_WAIT}; for the scrape hook.
   */
  public void refresh() {
    java.util.concurrent.Future<?> f;
    synchronized (this) {
      if (readAt != Long.MIN_VALUE && clock.getAsLong() - readAt < MAX_AGE.toNanos()) {
        return;
      }
      if (inFlight == null || inFlight.isDone()) {
        inFlight = reader.submit(this::readNow);
      }
      f = inFlight;
    }
    try {
      f.get(SCRAPE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      log.warn("reading the node for metrics takes more than {} s; serving the previous values", SCRAPE_WAIT.toSeconds());
    } catch (java.util.concurrent.ExecutionException e) {
      log.warn("reading the node for metrics failed: {}", e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readNow() {
    long t0 = System.nanoTime();
    NodeSnapshot s = reads.get();
    readTime.record(Duration.ofNanos(System.nanoTime() - t0));
    synchronized (this) {
      for (Row r : rows) {
        r.gauge().register(r.rows().apply(s), true);
      }
      readAt = clock.getAsLong();
    }
  }

  private void family(MeterRegistry registry, String name, String help,
      java.util.function.Function<NodeSnapshot, List<? extends MultiGauge.Row<?>>> rowsOf) {
    rows.add(new Row(MultiGauge.builder(name).description(help).register(registry), rowsOf));
  }

  private static List<? extends MultiGauge.Row<?>> mountedRows(NodeSnapshot s, java.util.function.ToLongFunction<NodeSnapshot.BrickFs> v) {
    return s.bricks().stream().filter(b -> b.mounted() && b.size() >= 0 && v.applyAsLong(b) >= 0)
        .map(b -> row(v.applyAsLong(b), "mountpoint", b.mountPoint())).toList();
  }

  private static MultiGauge.Row<Number> row(double value, String... tags) {
    return MultiGauge.Row.of(Tags.of(tags), value);
  }
}
