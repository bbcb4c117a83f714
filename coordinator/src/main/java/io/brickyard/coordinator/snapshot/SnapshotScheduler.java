package io.brickyard.coordinator.snapshot;

import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.ListSnapshotsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.agent.v1.SnapshotBrick;
import io.brickyard.api.agent.v1.SnapshotBricksRequest;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotServiceGrpc;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.common.snapshot.ScheduleSet;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SnapshotPolicy;
import io.brickyard.coordinator.spec.VolumeSpec;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the spec's snapshot schedules (docs/snapshots.md): those of the last successful apply
 * ({@link #applied}), kept in the state directory ({@code snapshot-schedules.yaml}, the applied
 * spec in canonical form) so that a restarted coordinator goes on with them. Each {@link #tick} (once a
 * minute in the daemon; tests call it with their own clock) does, per volume and schedule that is
 * due: the thin pool guard (GetSnapshotBricks on every node of the volume: any brick not on a thin
 * LV, or a pool at or above {@code poolLimitPercent}, refuses the snapshot and counts it in
 * {@code brickyard_snapshot_refused_total{reason}}), then the snapshot, then pruning of that
 * schedule's own set ({@link ScheduleSet}). Every change is journaled (kind "snapshot"). A tick
 * skips while an apply or another change holds the cluster lock; the next tick catches up (one
 * snapshot, never a burst).
 */
public final class SnapshotScheduler {
  private static final Logger log = LoggerFactory.getLogger(SnapshotScheduler.class);
  public static final String REFUSED = "brickyard_snapshot_refused_total";
  public static final String CREATED = "brickyard_snapshot_scheduled_total";
  public static final String PRUNED = "brickyard_snapshot_pruned_total";
  public static final String FAILED = "brickyard_snapshot_failed_total";
  private final AgentClients clients;
  private final Journal journal;
  private final ClusterLock lock;
  private final Duration deadline;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final AtomicReference<ClusterSpec> spec = new AtomicReference<>();
  private java.nio.file.Path stateFile;

  public SnapshotScheduler(AgentClients clients, Journal journal, ClusterLock lock, Duration deadline, Clock clock,
      MeterRegistry metrics) {
    this.clients = clients;
    this.journal = journal;
    this.lock = lock;
    this.deadline = deadline;
    this.clock = clock;
    this.metrics = metrics;
    // A series per reason from the start, so the alert's increase() has a value before the first refusal.
    for (String reason : new String[] {"pool_limit", "not_thin", "unreachable"}) {
      refused("", "", reason);
    }
  }

  /**
   * Keeps the schedules in {@code file} from now on, and starts with the ones found there (written
   * by an earlier coordinator): an unreadable or invalid file is logged and ignored (the next apply
   * writes it again).
   */
  public SnapshotScheduler persistIn(java.nio.file.Path file) {
    this.stateFile = file;
    if (java.nio.file.Files.exists(file)) {
      try {
        spec.compareAndSet(null, io.brickyard.coordinator.spec.SpecParser.parse(java.nio.file.Files.readString(file),
            file.getFileName().toString()));
      } catch (IOException | io.brickyard.coordinator.spec.SpecException | RuntimeException e) {
        log.error("snapshot schedules: cannot read {} ({}); none until the next apply", file, e.getMessage());
      }
    }
    return this;
  }

  /** The schedules of the spec just applied replace the previous ones. */
  public void applied(ClusterSpec s) {
    spec.set(s);
    if (stateFile != null) {
      try {
        java.nio.file.Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
        java.nio.file.Files.writeString(tmp, s.canonicalText());
        java.nio.file.Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        log.error("snapshot schedules: cannot write {}: {} (they run until this coordinator stops)", stateFile, e.getMessage());
      }
    }
  }

  /** What one tick did, per volume/schedule: "created NAME", "refused: ...", "pruned N", "failed: ...". */
  public record Report(List<String> lines) {}

  public Report tick() {
    ClusterSpec s = spec.get();
    List<String> lines = new ArrayList<>();
    if (s == null || s.volumes().stream().allMatch(v -> v.snapshots().isEmpty())) {
      return new Report(lines);
    }
    if (!lock.tryLock("snapshot schedules")) {
      lines.add("skipped: " + lock.holder() + " holds the cluster lock");
      return new Report(lines);
    }
    try {
      for (VolumeSpec v : s.volumes()) {
        if (v.snapshots().isPresent()) {
          volume(s, v, v.snapshots().get(), lines);
        }
      }
    } finally {
      lock.unlock();
    }
    return new Report(lines);
  }

  private void volume(ClusterSpec s, VolumeSpec v, SnapshotPolicy policy, List<String> lines) {
    List<NodeAddress> nodes = SnapshotWorkflow.nodes(s, v);
    Instant now = clock.instant();
    for (SnapshotPolicy.Schedule sch : policy.schedules()) {
      ScheduleSet set = sch.set(v.name());
      String tag = v.name() + "/" + sch.name();
      Map<String, String> snaps;
      NodeAddress node;
      try {
        node = answering(nodes);
        snaps = list(node, v.name());
      } catch (StatusRuntimeException e) {
        refused(v.name(), sch.name(), "unreachable").increment();
        lines.add(tag + " refused: no node of " + v.name() + " answers: " + e.getStatus().getDescription());
        continue;
      }
      if (set.due(snaps, now)) {
        String why = guard(nodes, v.name(), policy);
        if (why != null) {
          refused(v.name(), sch.name(), why.startsWith("pool") ? "pool_limit" : why.startsWith("unreachable") ? "unreachable"
              : "not_thin").increment();
          lines.add(tag + " refused: " + why);
          journal(s, "snapshot schedule " + tag, node, "", "refused: " + why);
          continue;
        }
        String name = set.name(now);
        try {
          OperationResult r = stub(node).createSnapshot(CreateSnapshotRequest.newBuilder().setVolume(v.name()).setName(name)
              .setDescription("brickyard schedule " + sch.name() + " (every " + SnapshotPolicy.text(sch.every()) + ", keep "
                  + sch.keep() + ")").build());
          metrics.counter(CREATED, "volume", v.name(), "schedule", sch.name()).increment();
          lines.add(tag + " created " + name);
          journal(s, "snapshot schedule " + tag, node, r.getSummary(), "");
          snaps.put(name, v.name());
        } catch (StatusRuntimeException e) {
          metrics.counter(FAILED, "volume", v.name(), "schedule", sch.name()).increment();
          lines.add(tag + " failed: " + e.getStatus().getDescription());
          journal(s, "snapshot schedule " + tag, node, "", e.getStatus().getCode() + ": " + e.getStatus().getDescription());
          continue;
        }
      }
      List<String> old = set.prune(snaps);
      int pruned = 0;
      for (String name : old) {
        try {
          stub(node).deleteSnapshot(SnapshotChangeRequest.newBuilder().setName(name).build());
          pruned++;
        } catch (StatusRuntimeException e) {
          lines.add(tag + " prune of " + name + " failed: " + e.getStatus().getDescription());
        }
      }
      if (pruned > 0) {
        metrics.counter(PRUNED, "volume", v.name(), "schedule", sch.name()).increment(pruned);
        lines.add(tag + " pruned " + pruned + ": " + old.subList(0, pruned));
        journal(s, "snapshot prune " + tag, node, "deleted " + old.subList(0, pruned), "");
      }
    }
  }

  /**
   * Null when every brick of the volume is on a thin LV whose pool is below the limit; else why
   * not ("pool ...", "not thin: ...", "unreachable: ..."). Every node of the volume is asked: the
   * pools are per node.
   */
  private String guard(List<NodeAddress> nodes, String volume, SnapshotPolicy policy) {
    for (NodeAddress n : nodes) {
      List<SnapshotBrick> bricks;
      try {
        bricks = stub(n).getSnapshotBricks(SnapshotBricksRequest.newBuilder()
            .setVolume(volume).build()).getBricksList();
      } catch (StatusRuntimeException e) {
        return "unreachable: " + n.name() + ": " + e.getStatus().getDescription();
      }
      for (SnapshotBrick b : bricks) {
        if (!b.getProblem().isEmpty()) {
          return "not thin: " + b.getProblem();
        }
        if (b.getPoolDataPercent() >= policy.poolLimitPercent()) {
          return String.format("pool %s/%s of brick %s on %s is %.1f%% full, at or above poolLimitPercent %d",
              b.getVg(), b.getPool(), b.getBrick(), n.name(), b.getPoolDataPercent(), policy.poolLimitPercent());
        }
      }
    }
    return null;
  }

  private NodeAddress answering(List<NodeAddress> nodes) {
    StatusRuntimeException last = null;
    for (NodeAddress n : nodes) {
      try {
        stub(n).listSnapshots(ListSnapshotsRequest.newBuilder().setVolume("").build());
        return n;
      } catch (StatusRuntimeException e) {
        last = e;
      }
    }
    throw last != null ? last : new StatusRuntimeException(io.grpc.Status.UNAVAILABLE.withDescription("no nodes"));
  }

  private Map<String, String> list(NodeAddress node, String volume) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Snapshot sn : stub(node).listSnapshots(ListSnapshotsRequest.newBuilder().setVolume(volume).build()).getSnapshotsList()) {
      out.put(sn.getName(), sn.getVolume());
    }
    return out;
  }

  private SnapshotServiceGrpc.SnapshotServiceBlockingStub stub(NodeAddress n) {
    return clients.stub(n, deadline, SnapshotServiceGrpc::newBlockingStub);
  }

  private Counter refused(String volume, String schedule, String reason) {
    return Counter.builder(REFUSED).description("Scheduled snapshots not taken: thin pool at or above its limit "
        + "(pool_limit), a brick not on a thin LV (not_thin), no node answered (unreachable)")
        .tags("volume", volume, "schedule", schedule, "reason", reason).register(metrics);
  }

  private void journal(ClusterSpec s, String what, NodeAddress node, String summary, String error) {
    Instant at = clock.instant();
    JournalEntry e = JournalEntry.newBuilder().setId(Journal.id(at)).setStartedEpochMillis(at.toEpochMilli())
        .setElapsedMillis(Duration.between(at, clock.instant()).toMillis()).setSpecSha256(s.sha256())
        .setSourceName("schedule").setSuccess(error.isEmpty()).setChanged(error.isEmpty() ? 1 : 0)
        .setFailed(error.isEmpty() ? 0 : 1).setError(error).setKind(Journal.KIND_SNAPSHOT)
        .setSummary(what + " on " + node.name() + ": " + (error.isEmpty() ? summary : error)).build();
    try {
      journal.write(JournalRecord.newBuilder().setEntry(e).setSnapshot(SnapshotCommandResponse.newBuilder()
          .setNode(node.name()).setError(error)).build());
    } catch (IOException ex) {
      log.error("cannot write the journal entry of {}: {}", e.getSummary(), ex.getMessage());
    }
  }
}
