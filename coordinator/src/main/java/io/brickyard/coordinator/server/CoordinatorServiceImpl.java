package io.brickyard.coordinator.server;

import io.brickyard.api.coordinator.v1.DeleteVolumeRequest;
import io.brickyard.api.coordinator.v1.HealRequest;
import io.brickyard.api.coordinator.v1.HealResponse;
import io.brickyard.api.coordinator.v1.RemoveBricksRequest;
import io.brickyard.api.coordinator.v1.ReplaceBrickRequest;
import io.brickyard.api.coordinator.v1.RetireNodeRequest;
import io.brickyard.coordinator.failover.Election;
import io.brickyard.coordinator.day2.BrickRemoveWorkflow;
import io.brickyard.coordinator.day2.BrickReplaceWorkflow;
import io.brickyard.coordinator.day2.Day2Outcome;
import io.brickyard.coordinator.day2.HealReader;
import io.brickyard.coordinator.day2.NodeRetireWorkflow;
import io.brickyard.coordinator.day2.VolumeDeleteWorkflow;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.HistoryRequest;
import io.brickyard.api.coordinator.v1.HistoryResponse;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.api.coordinator.v1.ListNodesResponse;
import io.brickyard.api.coordinator.v1.MoveVipRequest;
import io.brickyard.api.coordinator.v1.MoveVipResponse;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.coordinator.snapshot.SnapshotWorkflow;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.apply.ApplyWorkflow;
import io.brickyard.coordinator.apply.EventSink;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.Planner;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.status.StatusCollector;
import io.brickyard.coordinator.vip.VipMoveWorkflow;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The coordinator's API. Each RPC delegates to its capability package. */
public final class CoordinatorServiceImpl extends CoordinatorServiceGrpc.CoordinatorServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorServiceImpl.class);
  private final NodeRegistry registry;
  private final NodeProbe probe;
  private final Planner planner;
  private final ApplyWorkflow workflow;
  private final Journal journal;
  private final StatusCollector status;
  private final VipMoveWorkflow vipMoves;
  private final SnapshotWorkflow snapshots;

  /** Snapshot commands; null when not set up. */
  public SnapshotWorkflow snapshots() {
    return snapshots;
  }

  /** The apply workflow, for hooks run after an apply (failover's configuration, docs/ha.md). */
  public ApplyWorkflow workflow() {
    return workflow;
  }

  public CoordinatorServiceImpl(NodeRegistry registry, NodeProbe probe, Planner planner, ApplyWorkflow workflow,
      Journal journal, StatusCollector status, VipMoveWorkflow vipMoves) {
    this(registry, probe, planner, workflow, journal, status, vipMoves, null);
  }

  /** With snapshots ({@code null}: the Snapshot RPC answers UNIMPLEMENTED). */
  public CoordinatorServiceImpl(NodeRegistry registry, NodeProbe probe, Planner planner, ApplyWorkflow workflow,
      Journal journal, StatusCollector status, VipMoveWorkflow vipMoves, SnapshotWorkflow snapshots) {
    this.snapshots = snapshots;
    this.vipMoves = vipMoves;
    this.registry = registry;
    this.probe = probe;
    this.planner = planner;
    this.workflow = workflow;
    this.journal = journal;
    this.status = status;
  }

  @Override
  public void listNodes(ListNodesRequest req, StreamObserver<ListNodesResponse> out) {
    List<NodeAddress> nodes = new ArrayList<>();
    if (req.getNamesCount() == 0) {
      nodes.addAll(registry.all());
    } else {
      for (String name : req.getNamesList()) {
        NodeAddress a = registry.get(name);
        if (a == null) {
          out.onError(Status.NOT_FOUND.withDescription("unknown node '" + name + "'; known: "
              + registry.all().stream().map(NodeAddress::name).toList()).asRuntimeException());
          return;
        }
        nodes.add(a);
      }
    }
    out.onNext(ListNodesResponse.newBuilder().addAllNodes(probe.probe(nodes)).build());
    out.onCompleted();
  }

  @Override
  public void validate(SpecRequest req, StreamObserver<ValidationReport> out) {
    out.onNext(Planner.report(SpecParser.analyze(req.getSpecYaml(), name(req.getSourceName())).issues()));
    out.onCompleted();
  }

  @Override
  public void plan(SpecRequest req, StreamObserver<PlanResponse> out) {
    SpecParser.Result r = SpecParser.analyze(req.getSpecYaml(), name(req.getSourceName()));
    if (!r.ok()) {
      out.onNext(PlanResponse.newBuilder().setValidation(Planner.report(r.issues())).setBlocked(true).build());
      out.onCompleted();
      return;
    }
    out.onNext(planner.plan(r.spec().orElseThrow(), r.warnings(), req.getMoveVips()).toProto(req.getIncludeConverged()));
    out.onCompleted();
  }

  /**
   * Glue to {@link ApplyWorkflow}. The apply does not depend on this stream: with a cancel handler
   * set, grpc-java's onNext no longer throws on a cancelled call, and the sink stops forwarding
   * once the call is cancelled, so the apply runs to its end, is journaled and releases the lock
   * whatever the client does.
   */
  @Override
  public void apply(ApplyRequest req, StreamObserver<ApplyEvent> out) {
    EventSink sink;
    if (out instanceof ServerCallStreamObserver<ApplyEvent> call) {
      call.setOnCancelHandler(() -> log.info("apply: the client went away; the apply goes on unwatched"));
      sink = new EventSink(out::onNext, call::isCancelled);
    } else {
      sink = EventSink.to(out::onNext);
    }
    ApplyWorkflow.Outcome o = workflow.apply(new ApplyWorkflow.Request(req.getSpecYaml(), name(req.getSourceName()),
        req.getExpectedFingerprint(), req.getStepTimeoutSeconds() > 0 ? Duration.ofSeconds(req.getStepTimeoutSeconds())
        : null, req.getMoveVips()), sink);
    if (!sink.watched()) {
      try {
        out.onError(Status.CANCELLED.withDescription("the client went away").asRuntimeException());
      } catch (RuntimeException e) {
        // the call is already closed: nothing to tell anyone
      }
      return;
    }
    if (o instanceof ApplyWorkflow.Outcome.Done d) {
      if (sink.send(ApplyEvent.newBuilder().setSummary(d.summary()).build())) {
        out.onCompleted();
      }
    } else if (o instanceof ApplyWorkflow.Outcome.Invalid i) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(i.error()).asRuntimeException());
    } else if (o instanceof ApplyWorkflow.Outcome.Busy b) {
      out.onError(Status.ABORTED.withDescription(b.error()).asRuntimeException());
    } else if (o instanceof ApplyWorkflow.Outcome.Refused rf) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(rf.error()).asRuntimeException());
    }
  }

  @Override
  public void status(StatusRequest req, StreamObserver<ClusterStatus> out) {
    if (!req.getSpecYaml().isEmpty()) {
      SpecParser.Result r = SpecParser.analyze(req.getSpecYaml(), "spec");
      if (!r.ok()) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("the spec is invalid: " + r.errors().get(0)).asRuntimeException());
        return;
      }
      out.onNext(status.collect(r.spec().get().nodes().stream().map(DesiredSteps::address).toList(),
          planner.plan(r.spec().get(), r.warnings())).toBuilder().setHa(election.viewWithMembers()).build());
    } else {
      out.onNext(status.collect(registry.all(), null).toBuilder().setHa(election.viewWithMembers()).build());
    }
    out.onCompleted();
  }

  /** Who leads ({@link Election}); without {@code --zookeeper}, an election that is off. */
  private volatile Election election = Election.off("");

  public void election(Election e) {
    this.election = e;
  }

  @Override
  public void leader(io.brickyard.api.coordinator.v1.LeaderRequest req,
      StreamObserver<io.brickyard.api.coordinator.v1.HaView> out) {
    out.onNext(election.view());
    out.onCompleted();
  }

  @Override
  public void history(HistoryRequest req, StreamObserver<HistoryResponse> out) {
    try {
      out.onNext(HistoryResponse.newBuilder().addAllEntries(journal.list(req.getLimit())).build());
      out.onCompleted();
    } catch (IOException e) {
      out.onError(Status.INTERNAL.withDescription("cannot read the journal: " + e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void moveVip(MoveVipRequest req, StreamObserver<MoveVipResponse> out) {
    VipMoveWorkflow.Outcome o = vipMoves.move(req);
    if (o instanceof VipMoveWorkflow.Outcome.Done d) {
      out.onNext(d.response());
      out.onCompleted();
    } else if (o instanceof VipMoveWorkflow.Outcome.Invalid i) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(i.error()).asRuntimeException());
    } else if (o instanceof VipMoveWorkflow.Outcome.Busy b) {
      out.onError(Status.ABORTED.withDescription(b.error()).asRuntimeException());
    }
  }

  @Override
  public void snapshot(SnapshotCommand req, StreamObserver<SnapshotCommandResponse> out) {
    if (snapshots == null) {
      out.onError(Status.UNIMPLEMENTED.withDescription("snapshots are not set up on this coordinator").asRuntimeException());
      return;
    }
    SnapshotWorkflow.Outcome o = snapshots.run(req);
    if (o instanceof SnapshotWorkflow.Outcome.Done d) {
      out.onNext(d.response());
      out.onCompleted();
    } else if (o instanceof SnapshotWorkflow.Outcome.Invalid i) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(i.error()).asRuntimeException());
    } else if (o instanceof SnapshotWorkflow.Outcome.Busy b) {
      out.onError(Status.ABORTED.withDescription(b.error()).asRuntimeException());
    }
  }

  private volatile BrickReplaceWorkflow brickReplace;

  /** Day 2: {@code brickyard brick replace} (docs/day2.md). */
  public void brickReplace(BrickReplaceWorkflow w) {
    this.brickReplace = w;
  }

  @Override
  public void replaceBrick(ReplaceBrickRequest req, StreamObserver<ApplyEvent> out) {
    day2Stream(out, brickReplace == null ? null : sink -> brickReplace.replace(req, sink));
  }

  private volatile BrickRemoveWorkflow brickRemove;
  private volatile NodeRetireWorkflow nodeRetire;
  private volatile VolumeDeleteWorkflow volumeDelete;

  private volatile HealReader heal;

  public void heal(HealReader h) {
    this.heal = h;
  }

  @Override
  public void heal(HealRequest req,
      StreamObserver<HealResponse> out) {
    if (heal == null) {
      out.onError(Status.UNIMPLEMENTED.withDescription("not set up on this coordinator").asRuntimeException());
      return;
    }
    try {
      out.onNext(heal.read(req.getVolume(), req.getSplitBrain()));
      out.onCompleted();
    } catch (io.grpc.StatusRuntimeException e) {
      out.onError(e);
    }
  }

  public void volumeDelete(VolumeDeleteWorkflow w) {
    this.volumeDelete = w;
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest req, StreamObserver<ApplyEvent> out) {
    day2Stream(out, volumeDelete == null ? null : sink -> volumeDelete.delete(req, sink));
  }

  /** Day 2: {@code brickyard brick remove} and {@code node retire} (docs/day2.md). */
  public void day2(BrickRemoveWorkflow remove,
      NodeRetireWorkflow retire) {
    this.brickRemove = remove;
    this.nodeRetire = retire;
  }

  @Override
  public void removeBricks(RemoveBricksRequest req, StreamObserver<ApplyEvent> out) {
    day2Stream(out, brickRemove == null ? null : sink -> brickRemove.remove(req, sink));
  }

  @Override
  public void retireNode(RetireNodeRequest req, StreamObserver<ApplyEvent> out) {
    day2Stream(out, nodeRetire == null ? null : sink -> nodeRetire.retire(req, sink));
  }

  private static void day2Stream(StreamObserver<ApplyEvent> out,
      java.util.function.Function<EventSink, Day2Outcome> run) {
    if (run == null) {
      out.onError(Status.UNIMPLEMENTED.withDescription("not set up on this coordinator").asRuntimeException());
      return;
    }
    EventSink sink = out instanceof ServerCallStreamObserver<ApplyEvent> call
        ? new EventSink(out::onNext, call::isCancelled) : EventSink.to(out::onNext);
    Day2Outcome o = run.apply(sink);
    if (o instanceof Day2Outcome.Done d) {
      if (sink.send(ApplyEvent.newBuilder().setSummary(d.summary()).build())) {
        out.onCompleted();
      }
    } else if (o instanceof Day2Outcome.Invalid i) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(i.error()).asRuntimeException());
    } else if (o instanceof Day2Outcome.Busy b) {
      out.onError(Status.ABORTED.withDescription(b.error()).asRuntimeException());
    } else if (o instanceof Day2Outcome.Refused rf) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(rf.error()).asRuntimeException());
    }
  }

  private static String name(String s) {
    return s == null || s.isBlank() ? "spec" : s;
  }
}
