package io.brickyard.coordinator.apply;

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
import io.brickyard.coordinator.spec.ClusterSpec;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan: node steps on all nodes in parallel (one at a time per node, in plan order); peer
 * probes as soon as every node runs its services behind its firewall rules; each volume's steps as
 * soon as its own bricks are ready (see {@link #schedule}). Every step has a deadline. On the first failure no new step starts;
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
    List<StepEvent> events = Collections.synchronizedList(new ArrayList<>());
    Consumer<StepEvent> emit = e -> {
      synchronized (sink) {
        sink.accept(ApplyEvent.newBuilder().setStep(e).build());
      }
      events.add(e);
    };
    AtomicBoolean failed = new AtomicBoolean();
    AtomicInteger changed = new AtomicInteger();
    AtomicInteger unchanged = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    StringBuilder firstError = new StringBuilder();

    Runner runner = new Runner(stepDeadline, emit, failed, changed, unchanged, failures, skipped, firstError);
    schedule(plan, runner).join();

    ApplySummary summary = ApplySummary.newBuilder().setSuccess(!failed.get()).setChanged(changed.get())
        .setUnchanged(unchanged.get()).setFailed(failures.get()).setSkipped(skipped.get())
        .setElapsedMillis((System.nanoTime() - t0) / 1_000_000).setJournalId(id).setError(firstError.toString()).build();
    record(entry(plan, sourceName, started, summary.getElapsedMillis()).setSuccess(summary.getSuccess())
        .setChanged(summary.getChanged()).setFailed(summary.getFailed()).setError(summary.getError()), events);
    return summary;
  }

  /**
   * Journals an apply that ran no step, so that every apply is in {@code brickyard history}, not only
   * those that touched a node: one that found the cluster already matching the spec (success, 0
   * changed), or one refused before anything ran ({@code error} says why, e.g. a node unreachable).
   * Returns the journal id ("" if the journal could not be written: the apply's outcome stands).
   */
  public String journalNothingRun(Plan plan, String sourceName, Instant started, long elapsedMillis, String error) {
    return record(entry(plan, sourceName, started, elapsedMillis).setSuccess(error.isEmpty()).setError(error), List.of());
  }

  /** What every journal entry says: which apply (id = its start), of which spec, how long. */
  private static JournalEntry.Builder entry(Plan plan, String sourceName, Instant started, long elapsedMillis) {
    return JournalEntry.newBuilder().setId(ID.format(started)).setStartedEpochMillis(started.toEpochMilli())
        .setElapsedMillis(elapsedMillis).setSpecSha256(plan.spec().sha256()).setSourceName(sourceName);
  }

  /** Writes the entry; returns its id, or "" when it could not be written (the apply's outcome stands). */
  private String record(JournalEntry.Builder entry, List<StepEvent> events) {
    try {
      journal.write(entry.build(), events);
      return entry.getId();
    } catch (IOException e) {
      log.error("cannot write apply journal {}: {}", entry.getId(), e.getMessage());
      return "";
    }
  }

  /**
   * The order, as futures (no thread ever blocks waiting for another step, so a fixed pool cannot
   * deadlock however many nodes and volumes there are):
   * <ul>
   *   <li>per node, one step at a time in plan order: services and firewall ("pre"), then storage;</li>
   *   <li>every peer probe, side by side, once every node's pre steps are done (a probe needs
   *       glusterd running behind the firewall rules on both ends), overlapping storage work;</li>
   *   <li>per volume, its steps in order (create, options, start), once the peers are probed and
   *       the brick directories of that volume exist. Different volumes run side by side, and a
   *       volume whose bricks are ready does not wait for another volume's disks.</li>
   * </ul>
   */
  private CompletableFuture<Void> schedule(Plan plan, Runner runner) {
    Map<String, List<PlannedStep>> pre = new LinkedHashMap<>();
    Map<String, List<PlannedStep>> storage = new LinkedHashMap<>();
    List<PlannedStep> peers = new ArrayList<>();
    Map<String, List<PlannedStep>> volumes = new LinkedHashMap<>();
    for (PlannedStep s : plan.toRun()) {
      switch (s.step().phase()) {
        case "peers" -> peers.add(s);
        case "volumes" -> volumes.computeIfAbsent(volumeOf(s.step()), k -> new ArrayList<>()).add(s);
        case "services", "firewall" -> pre.computeIfAbsent(s.step().node(), k -> new ArrayList<>()).add(s);
        default -> storage.computeIfAbsent(s.step().node(), k -> new ArrayList<>()).add(s);
      }
    }
    Map<String, CompletableFuture<Void>> finished = new HashMap<>();
    storage.values().forEach(l -> l.forEach(s -> finished.put(s.step().id(), new CompletableFuture<>())));
    Set<String> nodes = new LinkedHashSet<>(pre.keySet());
    nodes.addAll(storage.keySet());
    List<CompletableFuture<Void>> preDone = new ArrayList<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (String node : nodes) {
      CompletableFuture<Void> p = CompletableFuture.runAsync(() -> pre.getOrDefault(node, List.of()).forEach(runner::run), pool);
      preDone.add(p);
      all.add(p.handle((v, e) -> null).thenRunAsync(() -> {
        for (PlannedStep s : storage.getOrDefault(node, List.of())) {
          try {
            runner.run(s);
          } finally {
            finished.get(s.step().id()).complete(null);
          }
        }
      }, pool));
    }
    CompletableFuture<Void> prepared = CompletableFuture.allOf(preDone.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    List<CompletableFuture<Void>> probes = peers.stream()
        .map(s -> prepared.thenRunAsync(() -> runner.run(s), pool)).toList();
    all.addAll(probes);
    CompletableFuture<Void> probed = CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenCombine(prepared, (a, b) -> null);
    volumes.forEach((vol, steps) -> {
      List<CompletableFuture<Void>> deps = new ArrayList<>(List.of(probed));
      brickSteps(plan, vol).stream().map(finished::get).filter(Objects::nonNull).forEach(deps::add);
      all.add(CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
          .thenRunAsync(() -> steps.forEach(runner::run), pool));
    });
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** "cluster/start:vol1" -> "vol1". */
  private static String volumeOf(Step s) {
    return s.id().substring(s.id().indexOf(':') + 1);
  }

  /** The ids of the storage steps that make a volume's brick directories ("gluster1/storage/brick:/path"). */
  private static List<String> brickSteps(Plan plan, String volume) {
    ClusterSpec spec = plan.spec();
    return spec.volume(volume).map(v -> v.bricks().stream()
        .map(b -> spec.nodeForBrickHost(b.host()).map(n -> n.name() + "/storage/brick:" + b.path()).orElse(""))
        .toList()).orElse(List.of());
  }

  /**
   * The real run's options: for a device step, the device digest its dry run reported, so that the
   * agent acts only on the disk (and signatures) the plan showed and refuses if it changed since.
   */
  static RequestOptions options(PlannedStep ps) {
    String digest = ps.dryRun() == null ? "" : ps.dryRun().getDevice().getDigest();
    return RequestOptions.newBuilder().setExpectedDeviceDigest(digest).build();
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
        OperationResult r = s.call().run(clients, s.target(), options(ps), deadline);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        (r.getChanged() ? changed : unchanged).incrementAndGet();
        emit.accept(ev.setState(r.getChanged() ? StepEvent.State.CHANGED : StepEvent.State.UNCHANGED)
            .setMessage(r.getSummary()).setResult(r).setElapsedMillis(ms).build());
      } catch (RuntimeException e) {
        // A gRPC failure, or a bug of ours: either way this step failed and nothing new may start
        // (and the schedule's futures must complete normally so the rest is reported SKIPPED).
        long ms = (System.nanoTime() - t0) / 1_000_000;
        failures.incrementAndGet();
        String msg = e instanceof StatusRuntimeException sre
            ? (sre.getStatus().getDescription() != null ? sre.getStatus().getDescription() : NodeProbe.describe(sre))
            : "internal error: " + e;
        if (!(e instanceof StatusRuntimeException)) {
          log.error("step {} failed inside the coordinator", s.id(), e);
        }
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
