package io.brickyard.coordinator.server;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.HistoryRequest;
import io.brickyard.api.coordinator.v1.HistoryResponse;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.api.coordinator.v1.ListNodesResponse;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.apply.Applier;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.brickyard.coordinator.plan.Planner;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.status.StatusCollector;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The coordinator's API. Each RPC delegates to its capability package. */
public final class CoordinatorServiceImpl extends CoordinatorServiceGrpc.CoordinatorServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorServiceImpl.class);
  private static final Duration DEFAULT_STEP_DEADLINE = Duration.ofMinutes(5);
  private final NodeRegistry registry;
  private final NodeProbe probe;
  private final Planner planner;
  private final Applier applier;
  private final Journal journal;
  private final StatusCollector status;
  /** One apply at a time for the whole cluster: two could race on the same peers and volumes. */
  private final ReentrantLock applyLock = new ReentrantLock();

  public CoordinatorServiceImpl(NodeRegistry registry, NodeProbe probe, Planner planner, Applier applier,
      Journal journal, StatusCollector status) {
    this.registry = registry;
    this.probe = probe;
    this.planner = planner;
    this.applier = applier;
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
    out.onNext(planner.plan(r.spec().orElseThrow(), r.warnings()).toProto());
    out.onCompleted();
  }

  @Override
  public void apply(ApplyRequest req, StreamObserver<ApplyEvent> out) {
    long t0 = System.nanoTime();
    Instant started = Instant.now();
    String source = name(req.getSourceName());
    log.info("apply of {} requested", source);
    SpecParser.Result r = SpecParser.analyze(req.getSpecYaml(), source);
    if (!r.ok()) {
      out.onNext(ApplyEvent.newBuilder().setPlan(PlanResponse.newBuilder().setValidation(Planner.report(r.issues()))
          .setBlocked(true)).build());
      out.onError(Status.INVALID_ARGUMENT.withDescription("the spec is invalid: nothing was run").asRuntimeException());
      return;
    }
    if (!applyLock.tryLock()) {
      out.onError(Status.ABORTED.withDescription("another apply is running on this coordinator; try again when it ends")
          .asRuntimeException());
      return;
    }
    try {
      Plan plan = planner.plan(r.spec().orElseThrow(), r.warnings());
      log.info("apply of {}: planned {} step(s) to run in {} ms, fingerprint {}", source, plan.toRun().size(),
          elapsedMillis(t0), plan.fingerprint());
      out.onNext(ApplyEvent.newBuilder().setPlan(plan.toProto()).build());
      if (!req.getExpectedFingerprint().isEmpty() && !req.getExpectedFingerprint().equals(plan.fingerprint())) {
        String error = "the cluster changed since the plan was made (fingerprint " + req.getExpectedFingerprint()
            + ", now " + plan.fingerprint() + "): nothing was run; review the new plan";
        applier.journalNothingRun(plan, source, started, elapsedMillis(t0), error);
        out.onError(Status.FAILED_PRECONDITION.withDescription(error).asRuntimeException());
        return;
      }
      if (req.getExpectedFingerprint().isEmpty() && !plan.erasing().isEmpty()) {
        // A wipe is a one-time act an admin approves on a plan that showed the disk: never from an
        // unattended "apply --yes" (after a reboot /dev/sdb may be another disk).
        String error = "the plan erases data (" + plan.erasing().stream().map(s -> s.step().id()).toList()
            + ") and this apply names no reviewed plan: a wipe runs only with the fingerprint of a plan"
            + " that showed the disk (brickyard plan, check each DESTROYS DATA step's device, then"
            + " brickyard apply --plan-fingerprint " + plan.fingerprint() + "); nothing was run";
        applier.journalNothingRun(plan, source, started, elapsedMillis(t0), error);
        out.onError(Status.FAILED_PRECONDITION.withDescription(error).asRuntimeException());
        return;
      }
      if (plan.toRun().isEmpty() && !plan.blocked()) {
        long ms = elapsedMillis(t0);
        String id = applier.journalNothingRun(plan, source, started, ms, "");
        out.onNext(ApplyEvent.newBuilder().setSummary(ApplySummary.newBuilder().setSuccess(true).setJournalId(id)
            .setElapsedMillis(ms)).build());
        out.onCompleted();
        return;
      }
      if (plan.blocked()) {
        String error = "the plan has refused steps: nothing was run (" + plan.steps().stream()
            .filter(s -> s.state() == PlannedStep.State.REFUSED).findFirst().map(s -> s.step().id() + ": " + s.reason())
            .orElse("") + ")";
        long ms = elapsedMillis(t0);
        String id = applier.journalNothingRun(plan, source, started, ms, error);
        out.onNext(ApplyEvent.newBuilder().setSummary(ApplySummary.newBuilder().setSuccess(false).setJournalId(id)
            .setElapsedMillis(ms).setError(error)).build());
        out.onCompleted();
        return;
      }
      try {
        registry.putAll(plan.spec().nodes().stream().map(DesiredSteps::address).toList());
      } catch (IOException e) {
        // Before any step: a state directory that is full or broken stops the apply with its cause,
        // instead of an UNKNOWN from the thrown exception, and the node list stays as it was.
        log.error("apply of {}: cannot record its nodes: {}", source, e.getMessage());
        out.onError(Status.FAILED_PRECONDITION.withDescription("the coordinator cannot write its state directory "
            + registry.file().toAbsolutePath().getParent() + " (" + e.getMessage() + "): nothing was run")
            .asRuntimeException());
        return;
      }
      Duration deadline = req.getStepTimeoutSeconds() > 0 ? Duration.ofSeconds(req.getStepTimeoutSeconds())
          : DEFAULT_STEP_DEADLINE;
      ApplySummary summary = applier.apply(plan, source, deadline, out::onNext);
      out.onNext(ApplyEvent.newBuilder().setSummary(summary).build());
      out.onCompleted();
    } finally {
      applyLock.unlock();
    }
  }

  private static long elapsedMillis(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
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
          planner.plan(r.spec().get(), r.warnings())));
    } else {
      out.onNext(status.collect(registry.all(), null));
    }
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

  private static String name(String s) {
    return s == null || s.isBlank() ? "spec" : s;
  }
}
