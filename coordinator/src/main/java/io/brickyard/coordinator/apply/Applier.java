package io.brickyard.coordinator.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.brickyard.coordinator.plan.Step;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan: node steps on all nodes in parallel (one at a time per node, in plan order); peer
 * probes as soon as every node runs its services behind its firewall rules; volume steps last. Every step has a deadline. On the first failure no new step starts;
 * steps already running finish; the rest are reported SKIPPED. Since every step is check-then-act,
 * the next apply converges from wherever this one stopped.
 */
public final class Applier {
  private static final Logger log = LoggerFactory.getLogger(Applier.class);
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private final AgentClients clients;
  private final ExecutorService pool;
  private final Journal journal;

  public Applier(AgentClients clients, ExecutorService pool, Journal journal) {
    this.clients = clients;
    this.pool = pool;
    this.journal = journal;
  }

  public ApplySummary apply(Plan plan, String sourceName, Duration stepDeadline, Consumer<ApplyEvent> sink) {
    long t0 = System.nanoTime();
    Instant started = Instant.now();
    String id = ID.format(started);
    List<String> eventsJson = Collections.synchronizedList(new ArrayList<>());
    Consumer<StepEvent> emit = e -> {
      synchronized (sink) {
        sink.accept(ApplyEvent.newBuilder().setStep(e).build());
      }
      try {
        eventsJson.add(JsonFormat.printer().omittingInsignificantWhitespace().print(e));
      } catch (InvalidProtocolBufferException ex) {
        // journaling is best effort per event
      }
    };
    AtomicBoolean failed = new AtomicBoolean();
    AtomicInteger changed = new AtomicInteger();
    AtomicInteger unchanged = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    StringBuilder firstError = new StringBuilder();

    // Node steps: services and firewall first ("pre"), then storage. Peer probes need only the
    // former on every node, so they run while the nodes are still preparing storage; volumes wait
    // for everything.
    Map<String, List<PlannedStep>> pre = new LinkedHashMap<>();
    Map<String, List<PlannedStep>> storage = new LinkedHashMap<>();
    List<PlannedStep> peers = new ArrayList<>();
    List<PlannedStep> volumes = new ArrayList<>();
    for (PlannedStep s : plan.toRun()) {
      switch (s.step().phase()) {
        case "peers" -> peers.add(s);
        case "volumes" -> volumes.add(s);
        case "services", "firewall" -> pre.computeIfAbsent(s.step().node(), k -> new ArrayList<>()).add(s);
        default -> storage.computeIfAbsent(s.step().node(), k -> new ArrayList<>()).add(s);
      }
    }
    java.util.Set<String> nodes = new java.util.LinkedHashSet<>(pre.keySet());
    nodes.addAll(storage.keySet());
    java.util.concurrent.CountDownLatch preDone = new java.util.concurrent.CountDownLatch(nodes.size());
    Runner runner = new Runner(stepDeadline, emit, failed, changed, unchanged, failures, skipped, firstError);
    List<CompletableFuture<Void>> nodeTasks = new ArrayList<>();
    for (String node : nodes) {
      nodeTasks.add(CompletableFuture.runAsync(() -> {
        try {
          pre.getOrDefault(node, List.of()).forEach(runner::run);
        } finally {
          preDone.countDown();
        }
        storage.getOrDefault(node, List.of()).forEach(runner::run);
      }, pool));
    }
    try {
      preDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    peers.forEach(runner::run);
    nodeTasks.forEach(CompletableFuture::join);
    volumes.forEach(runner::run);

    ApplySummary summary = ApplySummary.newBuilder().setSuccess(!failed.get()).setChanged(changed.get())
        .setUnchanged(unchanged.get()).setFailed(failures.get()).setSkipped(skipped.get())
        .setElapsedMillis((System.nanoTime() - t0) / 1_000_000).setJournalId(id).setError(firstError.toString()).build();
    try {
      journal.write(JournalEntry.newBuilder().setId(id).setStartedEpochMillis(started.toEpochMilli())
          .setElapsedMillis(summary.getElapsedMillis()).setSpecSha256(plan.spec().sha256()).setSourceName(sourceName)
          .setSuccess(summary.getSuccess()).setChanged(summary.getChanged()).setFailed(summary.getFailed())
          .setError(summary.getError()).build(), eventsJson);
    } catch (IOException e) {
      log.error("cannot write apply journal {}: {}", id, e.getMessage());
    }
    return summary;
  }

  /** Runs one step with its deadline and reports it; skips when an earlier step failed. */
  private final class Runner {
    final Duration deadline;
    final Consumer<StepEvent> emit;
    final AtomicBoolean failed;
    final AtomicInteger changed;
    final AtomicInteger unchanged;
    final AtomicInteger failures;
    final AtomicInteger skipped;
    final StringBuilder firstError;

    Runner(Duration deadline, Consumer<StepEvent> emit, AtomicBoolean failed, AtomicInteger changed,
        AtomicInteger unchanged, AtomicInteger failures, AtomicInteger skipped, StringBuilder firstError) {
      this.deadline = deadline;
      this.emit = emit;
      this.failed = failed;
      this.changed = changed;
      this.unchanged = unchanged;
      this.failures = failures;
      this.skipped = skipped;
      this.firstError = firstError;
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
      try {
        OperationResult r = s.call().run(clients, s.target(), RequestOptions.getDefaultInstance(), deadline);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        (r.getChanged() ? changed : unchanged).incrementAndGet();
        emit.accept(ev.setState(r.getChanged() ? StepEvent.State.CHANGED : StepEvent.State.UNCHANGED)
            .setMessage(r.getSummary()).setResult(r).setElapsedMillis(ms).build());
      } catch (StatusRuntimeException e) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        failures.incrementAndGet();
        String msg = e.getStatus().getDescription() != null ? e.getStatus().getDescription() : NodeProbe.describe(e);
        synchronized (firstError) {
          if (firstError.length() == 0) {
            firstError.append(s.id()).append(": ").append(msg);
          }
        }
        failed.set(true);
        emit.accept(ev.setState(StepEvent.State.FAILED).setMessage(msg).setElapsedMillis(ms).build());
      }
    }
  }
}
