package io.brickyard.coordinator.apply;

import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.brickyard.coordinator.plan.Step;
import io.brickyard.coordinator.plan.StepKey;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan's graph: each step as soon as every step it depends on ({@link Step#dependencies()})
 * has finished, so the order is the graph's: a node's steps one at a time, peer probes once
 * glusterd runs behind the firewall on both ends, each volume once its own bricks exist and the
 * peers are probed, different nodes and volumes side by side. Every step has a deadline. On the
 * first failure no new step starts; steps already running finish; the rest are reported SKIPPED.
 * Since every step is check-then-act, the next apply converges from wherever this one stopped.
 *
 * <p>No thread ever blocks waiting for another step (each step is a future composed from its
 * dependencies' futures), so a fixed pool cannot deadlock however many nodes and volumes there
 * are; and nothing a step or its progress sink throws escapes a step, so every future completes.
 */
public final class Applier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);
  private final AgentClients clients;
  private final ExecutorService pool;

  public Applier(AgentClients clients, ExecutorService pool) {
    this.clients = clients;
    this.pool = pool;
  }

  /** What a run did: the summary (without a journal id) and every step event, for the journal. */
  public record Outcome(ApplySummary summary, List<StepEvent> events) {}

  /**
   * Runs the plan's steps to run; progress goes to {@code sink} (which may throw: it is then
   * ignored, the apply goes on).
   */
  public Outcome apply(Plan plan, Duration stepDeadline, Consumer<StepEvent> sink) {
    long t0 = System.nanoTime();
    List<StepEvent> events = Collections.synchronizedList(new ArrayList<>());
    Consumer<StepEvent> watch = e -> {
      try {
        sink.accept(e);
      } catch (RuntimeException ex) {
        log.debug("progress sink failed: {}", ex.toString());
      }
    };
    Runner runner = new Runner(stepDeadline, e -> {
      events.add(e);
      watch.accept(e);
    }, watch);
    schedule(plan, runner).join();
    ApplySummary summary = ApplySummary.newBuilder().setSuccess(!runner.failed.get()).setChanged(runner.changed.get())
        .setUnchanged(runner.unchanged.get()).setFailed(runner.failures.get()).setSkipped(runner.skipped.get())
        .setElapsedMillis((System.nanoTime() - t0) / 1_000_000).setError(runner.firstError.get()).build();
    return new Outcome(summary, List.copyOf(events));
  }

  /**
   * One future per step to run, started when the futures of its dependencies have completed (a
   * dependency that does not run, being already true, is not waited for). Each completes normally
   * whatever its step did, so that a failure leaves the rest to report themselves SKIPPED.
   */
  private CompletableFuture<Void> schedule(Plan plan, Runner runner) {
    Map<StepKey, CompletableFuture<Void>> finished = new LinkedHashMap<>();
    plan.toRun().forEach(s -> finished.put(s.step().key(), new CompletableFuture<>()));
    for (PlannedStep s : plan.toRun()) {
      CompletableFuture<?>[] deps = s.step().dependencies().stream().map(finished::get)
          .filter(f -> f != null).toArray(CompletableFuture[]::new);
      CompletableFuture.allOf(deps).thenRunAsync(() -> runner.run(s), pool)
          .whenComplete((v, e) -> finished.get(s.step().key()).complete(null));
    }
    return CompletableFuture.allOf(finished.values().toArray(CompletableFuture[]::new));
  }

  /**
   * The real run's options: for a device step, the device digest its dry run reported, so that the
   * agent acts only on the disk (and signatures) the plan showed and refuses if it changed since.
   */
  static RequestOptions options(PlannedStep ps) {
    String digest = ps.dryRun() == null ? "" : ps.dryRun().getDevice().getDigest();
    return RequestOptions.newBuilder().setExpectedDeviceDigest(digest).build();
  }

  /** Runs one step with its deadline and reports it; skips when an earlier step failed. Never throws. */
  private final class Runner {
    final Duration deadline;
    final Consumer<StepEvent> emit;
    /** PROGRESS events: to the watcher only, not into the journal (a rebalance polls for hours). */
    final Consumer<StepEvent> progress;
    final AtomicBoolean failed = new AtomicBoolean();
    final AtomicInteger changed = new AtomicInteger();
    final AtomicInteger unchanged = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger skipped = new AtomicInteger();
    final AtomicReference<String> firstError = new AtomicReference<>("");

    Runner(Duration deadline, Consumer<StepEvent> emit, Consumer<StepEvent> progress) {
      this.deadline = deadline;
      this.emit = emit;
      this.progress = progress;
    }

    void run(PlannedStep ps) {
      Step s = ps.step();
      StepEvent.Builder ev = StepEvent.newBuilder().setStepId(s.id()).setNode(s.node()).setDescription(s.description());
      if (failed.get()) {
        skipped.incrementAndGet();
        emit.accept(ev.setState(StepEvent.State.SKIPPED).setMessage("not started: an earlier step failed").build());
        return;
      }
      emit.accept(ev.clone().setState(StepEvent.State.STARTED).build());
      long t0 = System.nanoTime();
      OperationResult r;
      try {
        if (s.call() instanceof Step.WatchedCall w) {
          StepEvent.Builder pev = ev.clone().setState(StepEvent.State.PROGRESS);
          r = w.run(clients, s.target(), options(ps), deadline, line -> progress.accept(
              pev.clone().setMessage(line).setElapsedMillis(ms(t0)).build()));
        } else {
          r = s.call().run(clients, s.target(), options(ps), deadline);
        }
      } catch (RuntimeException e) {
        // A gRPC failure, or a bug of ours: either way this step failed and nothing new may start.
        String msg = e instanceof StatusRuntimeException sre
            ? (sre.getStatus().getDescription() != null ? sre.getStatus().getDescription() : NodeProbe.describe(sre))
            : "internal error: " + e;
        if (!(e instanceof StatusRuntimeException)) {
          log.error("step {} failed inside the coordinator", s.id(), e);
        }
        failures.incrementAndGet();
        firstError.compareAndSet("", s.id() + ": " + msg);
        failed.set(true);
        emit.accept(ev.setState(StepEvent.State.FAILED).setMessage(msg).setElapsedMillis(ms(t0)).build());
        return;
      }
      (r.getChanged() ? changed : unchanged).incrementAndGet();
      emit.accept(ev.setState(r.getChanged() ? StepEvent.State.CHANGED : StepEvent.State.UNCHANGED)
          .setMessage(r.getSummary()).setResult(r).setElapsedMillis(ms(t0)).build());
    }

    private static long ms(long t0) {
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }
}
