package io.brickyard.coordinator.metrics;

import io.brickyard.coordinator.apply.ApplyWorkflow;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies and drift (docs/metrics.md). {@code brickyard_coordinator_apply_seconds{outcome}} is a
 * histogram with fixed buckets from one second to an hour (an apply of a new cluster takes tens of
 * seconds, a no-change apply one or two), so a dashboard can show quantiles, not only a mean; its
 * {@code _count} is the number of applies by outcome. {@code
 * brickyard_coordinator_apply_consecutive_failures} counts failed or blocked applies since the last
 * successful one: "failing repeatedly" for an alert without guessing a rate.
 *
 * <p>Drift is the plan's view: every plan the coordinator makes (plan, apply, status with a spec)
 * updates {@code brickyard_coordinator_drift_items{kind}} with its steps that would change
 * something, its refused steps, and what it found unmanaged, and a successful apply sets the
 * change and refused counts to 0 (it made those changes). The coordinator does not keep the spec,
 * so between plans the value is as old as {@code brickyard_coordinator_drift_checked_timestamp_seconds}.
 */
public final class ApplyMetrics {
  /** Seconds; an apply's step deadline is 5 min and a full cluster build stays well under 30. */
  static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(600), Duration.ofSeconds(1800),
      Duration.ofSeconds(3600)};
  private final MeterRegistry registry;
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong unmanaged = new AtomicLong();
  private final AtomicLong checkedAt = new AtomicLong();

  public ApplyMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("brickyard_coordinator_apply_consecutive_failures", consecutiveFailures, AtomicLong::get)
        .description("Applies that failed or were blocked since the last successful one").register(registry);
    for (String kind : new String[] {"change", "refused", "unmanaged"}) {
      AtomicLong v = kind.equals("change") ? changes : kind.equals("refused") ? refused : unmanaged;
      Gauge.builder("brickyard_coordinator_drift_items", v, AtomicLong::get)
          .description("What the last plan found different from the spec (change), impossible (refused) or unmanaged")
          .tag("kind", kind).register(registry);
    }
    Gauge.builder("brickyard_coordinator_drift_checked_timestamp_seconds", checkedAt, a -> a.get() / 1000.0)
        .description("When the last plan was made (Unix seconds); 0 before the first").register(registry);
    for (String o : new String[] {"ok", "failed", "blocked"}) {
      timer(o); // so rate() and the failure alert have a series before the first apply of each kind
    }
  }

  /** The hook for ApplyWorkflow: one apply ended with {@code outcome} after {@code elapsed}. */
  public void applied(ApplyWorkflow.Outcome outcome, Duration elapsed) {
    String o = outcome(outcome);
    timer(o).record(elapsed);
    switch (o) {
      case "ok" -> {
        consecutiveFailures.set(0);
        changes.set(0);
        refused.set(0);
      }
      case "failed", "blocked" -> consecutiveFailures.incrementAndGet();
      default -> { } // invalid spec, busy, refused before running: the cluster was not touched
    }
  }

  /** The hook for Planner: a plan was made. */
  public void planned(Plan plan) {
    changes.set(plan.steps().stream().filter(s -> s.state() == PlannedStep.State.CHANGE).count());
    refused.set(plan.steps().stream().filter(s -> s.state() == PlannedStep.State.REFUSED).count());
    unmanaged.set(plan.unmanaged().size());
    checkedAt.set(System.currentTimeMillis());
  }

  static String outcome(ApplyWorkflow.Outcome o) {
    if (o instanceof ApplyWorkflow.Outcome.Done d) {
      return d.summary().getSuccess() ? "ok" : d.summary().getFailed() > 0 ? "failed" : "blocked";
    }
    if (o instanceof ApplyWorkflow.Outcome.Refused) {
      return "refused";
    }
    return o instanceof ApplyWorkflow.Outcome.Busy ? "busy" : "invalid";
  }

  private Timer timer(String outcome) {
    return Timer.builder("brickyard_coordinator_apply")
        .description("Applies by outcome (ok, failed, blocked, refused, busy, invalid), with duration buckets")
        .tag("outcome", outcome).serviceLevelObjectives(BUCKETS)
        .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(1))
        .register(registry);
  }
}
