package io.brickyard.coordinator.snapshot;

import io.brickyard.api.agent.v1.CloneSnapshotRequest;
import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.ListSnapshotsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotRef;
import io.brickyard.api.agent.v1.SnapshotServiceGrpc;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.StopVolumeRequest;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.api.coordinator.v1.SnapshotAction;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.spec.VolumeSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code brickyard snapshot ...}: checks the request against the spec (the volume is one of its
 * volumes), asks one node of the cluster (gluster snapshots are cluster-wide; the first brick node
 * that answers), and journals every change. Changes hold the cluster lock so no apply runs
 * meanwhile. A restore with {@code stop_volume} stops the volume, restores and starts it again:
 * if it stops half-way, the results say how far it got (docs/snapshots.md).
 */
public final class SnapshotWorkflow {
  private static final Logger log = LoggerFactory.getLogger(SnapshotWorkflow.class);
  private final AgentClients clients;
  private final Journal journal;
  private final ClusterLock lock;
  private final Duration deadline;
  private final Clock clock;

  public SnapshotWorkflow(AgentClients clients, Journal journal, ClusterLock lock, Duration deadline, Clock clock) {
    this.clients = clients;
    this.journal = journal;
    this.lock = lock;
    this.deadline = deadline;
    this.clock = clock;
  }

  /** A scheduler sharing this workflow's agents, journal and cluster lock. */
  public SnapshotScheduler scheduler(io.micrometer.core.instrument.MeterRegistry metrics) {
    return new SnapshotScheduler(clients, journal, lock, deadline.compareTo(Duration.ofMinutes(5)) > 0 ? deadline
        : Duration.ofMinutes(5), clock, metrics);
  }

  /** How a request ended. */
  public sealed interface Outcome {
    /** Bad input (exit 2): nothing was asked of any node. */
    record Invalid(String error) implements Outcome {}

    /** Another change holds the cluster lock. */
    record Busy(String error) implements Outcome {}

    /** It ran; {@code response.error} says whether it failed. */
    record Done(SnapshotCommandResponse response) implements Outcome {}
  }

  public Outcome run(SnapshotCommand req) {
    String source = req.getSourceName().isBlank() ? "spec" : req.getSourceName();
    SpecParser.Result r = SpecParser.analyze(req.getSpecYaml(), source);
    if (!r.ok()) {
      return new Outcome.Invalid("the spec is invalid: " + r.errors().get(0));
    }
    ClusterSpec spec = r.spec().orElseThrow();
    SnapshotAction a = req.getAction();
    if (a == SnapshotAction.SNAPSHOT_ACTION_UNSPECIFIED || a == SnapshotAction.UNRECOGNIZED) {
      return new Outcome.Invalid("action: missing");
    }
    boolean byVolume = a == SnapshotAction.SNAPSHOT_CREATE || a == SnapshotAction.SNAPSHOT_LIST && !req.getVolume().isEmpty();
    if (byVolume && spec.volume(req.getVolume()).isEmpty()) {
      return new Outcome.Invalid("volume: '" + req.getVolume() + "' is not a volume of the spec (its volumes: "
          + spec.volumes().stream().map(VolumeSpec::name).toList() + ")");
    }
    if (a != SnapshotAction.SNAPSHOT_LIST && req.getName().isBlank()) {
      return new Outcome.Invalid("name: the snapshot's name is required");
    }
    List<NodeAddress> nodes = byVolume ? nodes(spec, spec.volume(req.getVolume()).get()) : nodes(spec);
    if (nodes.isEmpty()) {
      return new Outcome.Invalid("the spec has no node with a brick: no gluster node to ask");
    }
    boolean reads = a == SnapshotAction.SNAPSHOT_LIST || a == SnapshotAction.SNAPSHOT_INFO;
    if (reads) {
      return ask(nodes, node -> read(node, req));
    }
    String what = "snapshot " + a.name().substring("SNAPSHOT_".length()).toLowerCase(java.util.Locale.ROOT) + " " + req.getName();
    if (!lock.tryLock(what)) {
      return new Outcome.Busy("another operation (" + lock.holder() + ") is running on this coordinator; try again when it ends");
    }
    try {
      Instant started = clock.instant();
      String problem = a == SnapshotAction.SNAPSHOT_CREATE ? bricksProblem(nodes, req.getVolume()) : null;
      Outcome o = problem != null
          ? new Outcome.Done(SnapshotCommandResponse.newBuilder().setNode(nodes.get(0).name()).setError(problem).build())
          : ask(nodes, node -> change(node, req));
      if (o instanceof Outcome.Done d && !req.getDryRun()
          && (d.response().getResultsList().stream().anyMatch(OperationResult::getChanged) || !d.response().getError().isEmpty())) {
        String id = journal(spec, source, started, what, d.response());
        return new Outcome.Done(d.response().toBuilder().setJournalId(id).build());
      }
      return o;
    } finally {
      lock.unlock();
    }
  }

  @FunctionalInterface
  private interface Call {
    SnapshotCommandResponse on(NodeAddress node);
  }

  /**
   * Asks the first node that answers: UNAVAILABLE (agent down) moves on to the next. A bad
   * request (INVALID_ARGUMENT) is bad input; anything else the agent said is the command's error.
   */
  private Outcome ask(List<NodeAddress> nodes, Call call) {
    List<String> down = new ArrayList<>();
    for (NodeAddress n : nodes) {
      try {
        return new Outcome.Done(call.on(n).toBuilder().setNode(n.name()).build());
      } catch (StatusRuntimeException e) {
        Status.Code c = e.getStatus().getCode();
        if (c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED && nodes.size() > 1) {
          down.add(n.name() + ": " + e.getStatus().getDescription());
          continue;
        }
        if (c == Status.Code.INVALID_ARGUMENT) {
          return new Outcome.Invalid(e.getStatus().getDescription());
        }
        return new Outcome.Done(SnapshotCommandResponse.newBuilder().setNode(n.name())
            .setError(describe(e)).build());
      } catch (PartialFailure p) {
        return new Outcome.Done(p.response.toBuilder().setNode(n.name()).build());
      }
    }
    return new Outcome.Done(SnapshotCommandResponse.newBuilder().setError("no gluster node answered: " + down).build());
  }

  private static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return e.getStatus().getCode() == Status.Code.NOT_FOUND ? d : e.getStatus().getCode() + ": " + d;
  }

  private SnapshotCommandResponse read(NodeAddress node, SnapshotCommand req) {
    SnapshotServiceGrpc.SnapshotServiceBlockingStub s = clients.stub(node, deadline, SnapshotServiceGrpc::newBlockingStub);
    SnapshotCommandResponse.Builder out = SnapshotCommandResponse.newBuilder();
    if (req.getAction() == SnapshotAction.SNAPSHOT_LIST) {
      out.addAllSnapshots(s.listSnapshots(ListSnapshotsRequest.newBuilder().setVolume(req.getVolume()).build())
          .getSnapshotsList());
    } else {
      out.addSnapshots(s.getSnapshot(SnapshotRef.newBuilder().setName(req.getName()).build()));
    }
    return out.build();
  }

  /** A change that stopped part-way: the results so far and the error. */
  private static final class PartialFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient SnapshotCommandResponse response;

    PartialFailure(SnapshotCommandResponse response) {
      super(response.getError(), null, false, false);
      this.response = response;
    }
  }

  private SnapshotCommandResponse change(NodeAddress node, SnapshotCommand req) {
    // A snapshot create or restore can take minutes on a big volume (barrier, lvcreate per brick).
    Duration d = deadline.compareTo(Duration.ofMinutes(5)) > 0 ? deadline : Duration.ofMinutes(5);
    SnapshotServiceGrpc.SnapshotServiceBlockingStub s = clients.stub(node, d, SnapshotServiceGrpc::newBlockingStub);
    RequestOptions o = RequestOptions.newBuilder().setDryRun(req.getDryRun()).build();
    SnapshotChangeRequest named = SnapshotChangeRequest.newBuilder().setOptions(o).setName(req.getName()).build();
    SnapshotCommandResponse.Builder out = SnapshotCommandResponse.newBuilder();
    switch (req.getAction()) {
      case SNAPSHOT_CREATE -> out.addResults(s.createSnapshot(CreateSnapshotRequest.newBuilder().setOptions(o)
          .setVolume(req.getVolume()).setName(req.getName()).setDescription(req.getDescription()).build()));
      case SNAPSHOT_ACTIVATE -> out.addResults(s.activateSnapshot(named));
      case SNAPSHOT_DEACTIVATE -> out.addResults(s.deactivateSnapshot(named));
      case SNAPSHOT_DELETE -> out.addResults(s.deleteSnapshot(named));
      case SNAPSHOT_CLONE -> out.addResults(s.cloneSnapshot(CloneSnapshotRequest.newBuilder().setOptions(o)
          .setSnapshot(req.getName()).setClone(req.getClone()).build()));
      case SNAPSHOT_RESTORE -> restore(node, s, req, o, named, out);
      default -> throw new IllegalStateException("not a change: " + req.getAction());
    }
    return out.build();
  }

  /**
   * Stop (when asked), restore, start again. Each step is its own agent call; if one fails the
   * response carries the earlier results and the error, so the user sees the volume's state
   * (e.g. stopped and not restored: start it again, or retry the restore).
   */
  private void restore(NodeAddress node, SnapshotServiceGrpc.SnapshotServiceBlockingStub s, SnapshotCommand req,
      RequestOptions o, SnapshotChangeRequest named, SnapshotCommandResponse.Builder out) {
    Snapshot snap = s.getSnapshot(SnapshotRef.newBuilder().setName(req.getName()).build());
    out.addSnapshots(snap);
    GlusterServiceGrpc.GlusterServiceBlockingStub g = clients.stub(node, Duration.ofMinutes(5),
        GlusterServiceGrpc::newBlockingStub);
    String vol = snap.getVolume();
    String step = "stop " + vol;
    try {
      if (req.getStopVolume()) {
        out.addResults(g.stopVolume(StopVolumeRequest.newBuilder().setOptions(o).setVolume(vol).build()));
      }
      step = "restore " + vol + " to " + req.getName();
      out.addResults(s.restoreSnapshot(named));
      if (req.getStopVolume()) {
        step = "start " + vol;
        out.addResults(g.startVolume(StartVolumeRequest.newBuilder().setOptions(o).setVolume(vol).build()));
      }
    } catch (StatusRuntimeException e) {
      if (out.getResultsCount() == 0) {
        throw e;
      }
      throw new PartialFailure(out.setError(step + " failed after " + out.getResultsCount() + " step(s): "
          + describe(e)).build());
    }
  }

  /**
   * Every node's bricks of the volume, before a create: the agent asked to create checks only its
   * own bricks, and glusterd names none when one elsewhere is not on a thin LV. Null when all are
   * thin; a node that does not answer is left to the create itself (it fails there if it matters).
   */
  private String bricksProblem(List<NodeAddress> nodes, String volume) {
    List<String> problems = new ArrayList<>();
    for (NodeAddress n : nodes) {
      try {
        clients.stub(n, deadline, SnapshotServiceGrpc::newBlockingStub)
            .getSnapshotBricks(io.brickyard.api.agent.v1.SnapshotBricksRequest.newBuilder().setVolume(volume).build())
            .getBricksList().stream().filter(b -> !b.getProblem().isEmpty())
            .forEach(b -> problems.add(n.name() + ": " + b.getProblem()));
      } catch (StatusRuntimeException e) {
        log.warn("bricks of {} on {} not checked before the snapshot: {}", volume, n.name(), e.getStatus());
      }
    }
    return problems.isEmpty() ? null : "cannot snapshot " + volume + ": " + String.join("; ", problems);
  }

  /** The nodes holding the volume's bricks, in brick order, each once. */
  static List<NodeAddress> nodes(ClusterSpec spec, VolumeSpec v) {
    Set<String> seen = new LinkedHashSet<>();
    List<NodeAddress> out = new ArrayList<>();
    for (Brick b : v.bricks()) {
      Optional<NodeSpec> n = spec.nodeForBrickHost(b.host());
      if (n.isPresent() && seen.add(n.get().name())) {
        out.add(DesiredSteps.address(n.get()));
      }
    }
    return out;
  }

  /** Every node with a brick of any volume of the spec. */
  static List<NodeAddress> nodes(ClusterSpec spec) {
    Set<String> seen = new LinkedHashSet<>();
    List<NodeAddress> out = new ArrayList<>();
    for (VolumeSpec v : spec.volumes()) {
      for (NodeAddress n : nodes(spec, v)) {
        if (seen.add(n.name())) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private String journal(ClusterSpec spec, String source, Instant started, String what, SnapshotCommandResponse r) {
    long elapsed = Duration.between(started, clock.instant()).toMillis();
    JournalEntry e = JournalEntry.newBuilder().setId(Journal.id(started)).setStartedEpochMillis(started.toEpochMilli())
        .setElapsedMillis(elapsed).setSpecSha256(spec.sha256()).setSourceName(source)
        .setSuccess(r.getError().isEmpty())
        .setChanged((int) r.getResultsList().stream().filter(OperationResult::getChanged).count())
        .setFailed(r.getError().isEmpty() ? 0 : 1).setError(r.getError()).setKind(Journal.KIND_SNAPSHOT)
        .setSummary(what + " on " + r.getNode() + ": " + (r.getError().isEmpty()
            ? String.join("; ", r.getResultsList().stream().map(OperationResult::getSummary).toList()) : "FAILED"))
        .build();
    try {
      journal.write(JournalRecord.newBuilder().setEntry(e).setSnapshot(r).build());
      return e.getId();
    } catch (IOException ex) {
      log.error("cannot write the journal entry of {}: {}", e.getSummary(), ex.getMessage());
      return "";
    }
  }
}
