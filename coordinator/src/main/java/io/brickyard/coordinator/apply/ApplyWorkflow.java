package io.brickyard.coordinator.apply;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ValidationIssue;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.Planner;
import io.brickyard.coordinator.spec.SpecParser;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an apply happens, whoever asks (the CLI through the gRPC service; later a failover
 * watcher): validate, take the cluster-wide apply lock, plan, check the fingerprint the caller
 * saw, refuse a blocked plan, run the graph, journal. Every outcome that got as far as a plan is
 * journaled, including the ones that ran nothing.
 *
 * <p>The apply does not depend on whoever watches it: progress goes to an {@link EventSink}, which
 * never throws into the apply, so a watcher that goes away (a cancelled RPC) cannot stop steps
 * half way, lose the journal entry or keep the lock.
 */
public final class ApplyWorkflow {
  private static final Logger log = LoggerFactory.getLogger(ApplyWorkflow.class);
  public static final Duration DEFAULT_STEP_DEADLINE = Duration.ofMinutes(5);
  private final Planner planner;
  private final Applier applier;
  private final Journal journal;
  private final NodeRegistry registry;
  private final ClusterLock lock;

  /** Told how every apply ended and how long it took (metrics); a listener that throws is logged, never fails the apply. */
  private volatile java.util.function.BiConsumer<Outcome, Duration> onOutcome = (o, d) -> { };

  public ApplyWorkflow(Planner planner, Applier applier, Journal journal, NodeRegistry registry, ClusterLock lock) {
    this.planner = planner;
    this.applier = applier;
    this.journal = journal;
    this.registry = registry;
    this.lock = lock;
  }

  /**
   * @param expectedFingerprint "" to skip the check
   * @param stepDeadline null for the default
   * @param moveVips move a VIP held away from its home back home (else it is drift, left alone)
   */
  public record Request(String specYaml, String source, String expectedFingerprint, Duration stepDeadline,
      boolean moveVips) {
    public Request(String specYaml, String source, String expectedFingerprint, Duration stepDeadline) {
      this(specYaml, source, expectedFingerprint, stepDeadline, false);
    }
  }

  /** How an apply ended. Only {@link Done} ran its plan (or found nothing to run). */
  public sealed interface Outcome {
    /** The spec is invalid; nothing was contacted (the plan event carries the validation report). */
    record Invalid(String error) implements Outcome {}

    /** Another apply holds the lock. */
    record Busy(String error) implements Outcome {}

    /**
     * Refused before any step ran: the cluster changed since the plan the caller saw, the plan
     * erases data and the caller names no reviewed plan, or the state directory cannot be
     * written. {@code error} says which and what to do.
     */
    record Refused(String error) implements Outcome {}

    /** Ran, or found nothing to run, or refused a blocked plan (summary.success false): journaled. */
    record Done(ApplySummary summary) implements Outcome {}
  }

  public void onOutcome(java.util.function.BiConsumer<Outcome, Duration> listener) {
    onOutcome = listener;
  }

  private volatile java.util.function.Consumer<io.brickyard.coordinator.spec.ClusterSpec> onSuccess = s -> { };

  /**
   * Called with the spec after every successful apply (also "no changes"): failover's configuration
   * (docs/ha.md), the snapshot schedules (docs/snapshots.md). Hooks add up, in the order given.
   */
  public synchronized void onSuccess(java.util.function.Consumer<io.brickyard.coordinator.spec.ClusterSpec> hook) {
    this.onSuccess = this.onSuccess.andThen(hook);
  }

  public Outcome apply(Request req, EventSink sink) {
    long t0 = System.nanoTime();
    Outcome o = run(req, sink);
    try {
      onOutcome.accept(o, Duration.ofNanos(System.nanoTime() - t0));
    } catch (RuntimeException e) {
      log.warn("apply outcome listener failed: {}", e.toString());
    }
    return o;
  }

  private Outcome run(Request req, EventSink sink) {
    long t0 = System.nanoTime();
    Instant started = Instant.now();
    log.info("apply of {} requested", req.source());
    SpecParser.Result r = SpecParser.analyze(req.specYaml(), req.source());
    if (!r.ok()) {
      sink.send(ApplyEvent.newBuilder().setPlan(PlanResponse.newBuilder().setValidation(Planner.report(r.issues()))
          .setBlocked(true)).build());
      return new Outcome.Invalid("the spec is invalid: nothing was run");
    }
    if (!lock.tryLock("apply of " + req.source())) {
      return new Outcome.Busy("another operation (" + lock.holder() + ") is running on this coordinator; try again"
          + " when it ends");
    }
    try {
      Plan plan = planner.plan(r.spec().orElseThrow(), r.warnings(), req.moveVips());
      log.info("apply of {}: planned {} step(s) to run in {} ms, fingerprint {}", req.source(), plan.toRun().size(),
          ms(t0), plan.fingerprint());
      sink.send(ApplyEvent.newBuilder().setPlan(plan.toProto()).build());
      if (!plan.validation().getValid()) {
        // A shape gluster cannot reach from the volume as it is (docs/day2.md): found by the plan,
        // before anything ran; the plan event carries every error with its field.
        ValidationIssue first = plan.validation().getIssuesList().stream().filter(i -> !i.getWarning()).findFirst()
            .orElseThrow();
        return new Outcome.Invalid("the spec is invalid for the cluster as it is: " + first.getPath() + ": "
            + first.getMessage() + "; nothing was run");
      }
      if (!req.expectedFingerprint().isEmpty() && !req.expectedFingerprint().equals(plan.fingerprint())) {
        String error = "the cluster changed since the plan was made (fingerprint " + req.expectedFingerprint()
            + ", now " + plan.fingerprint() + "): nothing was run; review the new plan";
        journal(plan, req.source(), started, ms(t0), error, List.of(), ApplySummary.newBuilder());
        return new Outcome.Refused(error);
      }
      if (req.expectedFingerprint().isEmpty() && !plan.erasing().isEmpty()) {
        // A wipe is a one-time act an admin approves on a plan that showed the disk: never from an
        // unattended "apply --yes" (after a reboot /dev/sdb may be another disk).
        String error = "the plan erases data (" + plan.erasing().stream().map(s -> s.step().id()).toList()
            + ") and this apply names no reviewed plan: a wipe runs only with the fingerprint of a plan"
            + " that showed the disk (brickyard plan, check each DESTROYS DATA step's device, then"
            + " brickyard apply --plan-fingerprint " + plan.fingerprint() + "); nothing was run";
        journal(plan, req.source(), started, ms(t0), error, List.of(), ApplySummary.newBuilder());
        return new Outcome.Refused(error);
      }
      if (plan.blocked()) {
        String error = "the plan has refused steps: nothing was run (" + plan.firstRefused()
            .map(s -> s.step().id() + ": " + s.reason()).orElse("") + ")";
        return new Outcome.Done(journal(plan, req.source(), started, ms(t0), error, List.of(), ApplySummary.newBuilder()));
      }
      if (plan.toRun().isEmpty()) {
        onSuccess.accept(plan.spec());
        return new Outcome.Done(journal(plan, req.source(), started, ms(t0), "", List.of(), ApplySummary.newBuilder()));
      }
      try {
        registry.putAll(plan.spec().nodes().stream().map(DesiredSteps::address).toList());
      } catch (IOException e) {
        // Before any step: a state directory that is full or broken stops the apply with its cause
        // (the journal lives there too, so this apply could not be recorded), and the node list
        // stays as it was.
        log.error("apply of {}: cannot record its nodes: {}", req.source(), e.getMessage());
        return new Outcome.Refused("the coordinator cannot write its state directory "
            + registry.file().toAbsolutePath().getParent() + " (" + e.getMessage() + "): nothing was run");
      }
      Applier.Outcome run = applier.apply(plan, req.stepDeadline() == null ? DEFAULT_STEP_DEADLINE : req.stepDeadline(),
          e -> sink.send(ApplyEvent.newBuilder().setStep(e).build()));
      ApplySummary s = run.summary();
      if (s.getError().isEmpty()) {
        onSuccess.accept(plan.spec());
      }
      return new Outcome.Done(journal(plan, req.source(), started, s.getElapsedMillis(), s.getError(), run.events(),
          s.toBuilder()));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Journals the apply (its id is its start) and returns its summary with the journal id ("" if the
   * journal could not be written: the apply's outcome stands).
   */
  private ApplySummary journal(Plan plan, String source, Instant started, long elapsedMillis, String error,
      List<StepEvent> events, ApplySummary.Builder summary) {
    summary.setSuccess(error.isEmpty()).setError(error).setElapsedMillis(elapsedMillis);
    JournalEntry entry = JournalEntry.newBuilder().setId(Journal.id(started)).setKind(Journal.KIND_APPLY).setStartedEpochMillis(started.toEpochMilli())
        .setElapsedMillis(elapsedMillis).setSpecSha256(plan.spec().sha256()).setSourceName(source)
        .setSuccess(summary.getSuccess()).setChanged(summary.getChanged()).setFailed(summary.getFailed())
        .setError(error).build();
    try {
      journal.write(entry, events);
      summary.setJournalId(entry.getId());
    } catch (IOException e) {
      log.error("cannot write apply journal {}: {}", entry.getId(), e.getMessage());
    }
    return summary.build();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
