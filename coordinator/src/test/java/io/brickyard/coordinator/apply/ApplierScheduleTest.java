package io.brickyard.coordinator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.plan.ClusterFacts;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.brickyard.coordinator.plan.Step;
import io.brickyard.coordinator.plan.StepKey;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Applier's ordering over in-process agents that only record what they were asked (the real
 * agents' behaviour is proven in the lab tests; this is the coordinator's scheduling): a volume
 * starts as soon as its own bricks exist, not when every disk is prepared; two volumes run side by
 * side; peer probes wait for the firewall; a failure stops everything not yet started. Latches, not
 * timings, decide: a serialized schedule would make a latch time out and the test fail.
 */
class ApplierScheduleTest {
  private static final long WAIT_S = 5;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final InProcessAgents agents = new InProcessAgents("sched-");
  /** As small as the coordinator's pool could be for two nodes: the schedule must not need more. */
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final CountDownLatch vol1Created = new CountDownLatch(1);
  private final CountDownLatch vol2Starting = new CountDownLatch(1);
  private volatile String failXfsOn = "";
  private volatile boolean sdcSawVol1Created;
  private volatile boolean vol1StartSawVol2Start;

  private final java.util.Map<String, InProcessAgents> others = new java.util.HashMap<>();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    agents.close();
    for (InProcessAgents a : others.values()) {
      a.close();
    }
  }

  @Test
  void volumesStartWhenTheirOwnBricksAreReadyAndRunSideBySide() throws Exception {
    ApplySummary s = apply();
    assertThat(s.getSuccess()).as(s.getError()).isTrue();
    // gluster1's /dev/sdc (vol2's disk) was held until vol1 had been created: vol1 did not wait for it
    assertThat(sdcSawVol1Created).isTrue();
    // vol1's start was held until vol2's start had begun: the two volumes overlapped
    assertThat(vol1StartSawVol2Start).isTrue();
    for (String node : List.of("gluster1", "gluster2")) {
      assertThat(indexOf("done " + node + " brick /gluster/vol1/brick1/brick")).isLessThan(indexOf("begin create vol1"));
      assertThat(indexOf("done " + node + " brick /gluster/vol2/brick1/brick")).isLessThan(indexOf("begin create vol2"));
      assertThat(indexOf("done " + node + " firewall")).isLessThan(indexOf("begin probe gluster2"));
    }
    assertThat(indexOf("done probe gluster2")).isLessThan(indexOf("begin create vol1")).isLessThan(indexOf("begin create vol2"));
    assertThat(indexOf("done create vol1")).isLessThan(indexOf("begin start vol1"));
    assertThat(indexOf("done create vol2")).isLessThan(indexOf("begin start vol2"));
  }

  @Test
  void aFailedDiskStopsEveryStepNotYetStarted() throws Exception {
    failXfsOn = "gluster2 /dev/sdb";
    List<StepEvent> events = new ArrayList<>();
    ApplySummary s = apply(events);
    assertThat(s.getSuccess()).isFalse();
    assertThat(s.getError()).startsWith("gluster2/storage/xfs:/dev/sdb: ").contains("disk on fire");
    assertThat(log).noneMatch(l -> l.contains("create vol") || l.contains("start vol"));
    assertThat(events).filteredOn(e -> e.getStepId().startsWith("cluster/volume:"))
        .extracting(StepEvent::getState).containsOnly(StepEvent.State.SKIPPED);
  }

  @Test
  void aBugInsideTheCoordinatorFailsTheStepAndStopsTheRest() throws Exception {
    ClusterSpec spec = SpecParser.parse(Path.of("..", "examples", "lab.yaml"));
    NodeAddress g1 = DesiredSteps.address(spec.nodes().get(0));
    Step broken = new Step(new StepKey.Firewall("gluster1"), "firewall.allow", "rules", g1,
        (c, a, o, d) -> {
          throw new IllegalStateException("boom");
        }, false, List.of());
    Step later = DesiredSteps.cluster(spec, spec.nodes().get(0), nodes(spec), ClusterFacts.unknown()).get(0);
    assertThat(later.needs()).as("the peer probe needs gluster1's firewall rules").contains(broken.key());
    Plan plan = new Plan(spec, List.of(change(broken), change(later)), List.of(), List.of(),
        ValidationReport.getDefaultInstance());
    List<StepEvent> events = new ArrayList<>();
    try (AgentClients clients = agents.clients()) {
      ApplySummary s = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new Applier(clients, pool)
          .apply(plan, Duration.ofSeconds(5), events::add).summary());
      assertThat(s.getSuccess()).isFalse();
      assertThat(s.getError()).isEqualTo("gluster1/firewall/allow: internal error: java.lang.IllegalStateException: boom");
      assertThat(s.getSkipped()).isEqualTo(1);
    }
    assertThat(events).filteredOn(e -> e.getStepId().equals(later.id())).extracting(StepEvent::getState)
        .containsExactly(StepEvent.State.SKIPPED);
  }

  private static List<DesiredSteps.NodeSteps> nodes(ClusterSpec spec) {
    return spec.nodes().stream().map(n -> DesiredSteps.forNode(spec, n)).toList();
  }

  /**
   * A progress sink that throws (a watcher gone away) after {@code n} events must not stop the
   * apply: every step still runs, and the apply ends (a step whose STARTED event threw used to
   * escape its node's loop, leaving the next steps' futures incomplete and the apply hung).
   */
  @Test
  void aSinkThatThrowsNeitherHangsNorStopsTheApply() throws Exception {
    for (int n : new int[] {0, 3, 10}) {
      log.clear();
      java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
      ApplySummary s = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> apply(new ArrayList<>(), e -> {
        if (sent.incrementAndGet() > n) {
          throw Status.CANCELLED.withDescription("call already cancelled").asRuntimeException();
        }
      }, "sink" + n + "-"));
      assertThat(s.getSuccess()).as(n + ": " + s.getError()).isTrue();
      assertThat(log).as("after %d events", n).contains("done create vol1", "done create vol2", "done start vol1",
          "done start vol2");
    }
  }

  private int indexOf(String entry) {
    int i = log.indexOf(entry);
    assertThat(i).as("'%s' in %s", entry, log).isNotNegative();
    return i;
  }

  private ApplySummary apply() throws Exception {
    return apply(new ArrayList<>());
  }

  private ApplySummary apply(List<StepEvent> events) throws Exception {
    return apply(events, e -> { }, "");
  }

  private ApplySummary apply(List<StepEvent> events, java.util.function.Consumer<StepEvent> watcher, String prefix)
      throws Exception {
    InProcessAgents agents = prefix.isEmpty() ? this.agents : others.computeIfAbsent(prefix, InProcessAgents::new);
    ClusterSpec spec = SpecParser.parse(Path.of("..", "examples", "lab.yaml"));
    List<PlannedStep> steps = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      agents.add(n.name(), new Services(n.name()), new Firewall(n.name()), new Storage(n.name()), new Gluster());
    }
    List<DesiredSteps.NodeSteps> nodes = nodes(spec);
    nodes.forEach(ns -> ns.steps().forEach(st -> steps.add(change(st))));
    DesiredSteps.cluster(spec, spec.nodes().get(0), nodes, ClusterFacts.unknown()).forEach(st -> steps.add(change(st)));
    Plan plan = new Plan(spec, steps, List.of(), List.of(), ValidationReport.getDefaultInstance());
    try (AgentClients clients = agents.clients()) {
      return new Applier(clients, pool).apply(plan, Duration.ofSeconds(30), e -> {
        watcher.accept(e);
        if (e.getState() != StepEvent.State.STARTED) {
          events.add(e);
        }
      }).summary();
    }
  }

  private static PlannedStep change(Step s) {
    return new PlannedStep(s, PlannedStep.State.CHANGE, null, "test");
  }

  private static void ok(StreamObserver<OperationResult> out, String what) {
    out.onNext(OperationResult.newBuilder().setChanged(true).setSummary(what).build());
    out.onCompleted();
  }

  private static boolean await(CountDownLatch l) {
    try {
      return l.await(WAIT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private final class Services extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
    private final String node;

    Services(String node) {
      this.node = node;
    }

    @Override
    public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
      log.add("done " + node + " service " + req.getUnit());
      ok(out, "running");
    }
  }

  private final class Firewall extends FirewallServiceGrpc.FirewallServiceImplBase {
    private final String node;

    Firewall(String node) {
      this.node = node;
    }

    @Override
    public void ensureAllowed(EnsureAllowedRequest req, StreamObserver<OperationResult> out) {
      log.add("done " + node + " firewall");
      ok(out, "allowed");
    }
  }

  private final class Storage extends StorageServiceGrpc.StorageServiceImplBase {
    private final String node;

    Storage(String node) {
      this.node = node;
    }

    @Override
    public void ensureXfs(EnsureXfsRequest req, StreamObserver<OperationResult> out) {
      String what = node + " " + req.getDevice();
      if (what.equals(failXfsOn)) {
        out.onError(Status.ABORTED.withDescription("mkfs.xfs: disk on fire").asRuntimeException());
        return;
      }
      if (what.equals("gluster1 /dev/sdc")) {
        sdcSawVol1Created = await(vol1Created);
      }
      log.add("done " + what);
      ok(out, "xfs");
    }

    @Override
    public void ensureMount(EnsureMountRequest req, StreamObserver<OperationResult> out) {
      log.add("done " + node + " mount " + req.getMountPoint());
      ok(out, "mounted");
    }

    @Override
    public void ensureBrickDirectory(EnsureBrickDirectoryRequest req, StreamObserver<OperationResult> out) {
      log.add("done " + node + " brick " + req.getPath());
      ok(out, "brick");
    }
  }

  private final class Gluster extends GlusterServiceGrpc.GlusterServiceImplBase {
    @Override
    public void probePeer(ProbePeerRequest req, StreamObserver<OperationResult> out) {
      log.add("begin probe " + req.getHostname());
      log.add("done probe " + req.getHostname());
      ok(out, "probed");
    }

    @Override
    public void ensureVolume(EnsureVolumeRequest req, StreamObserver<OperationResult> out) {
      log.add("begin create " + req.getName());
      log.add("done create " + req.getName());
      if (req.getName().equals("vol1")) {
        vol1Created.countDown();
      }
      ok(out, "created");
    }

    @Override
    public void startVolume(StartVolumeRequest req, StreamObserver<OperationResult> out) {
      log.add("begin start " + req.getVolume());
      if (req.getVolume().equals("vol2")) {
        vol2Starting.countDown();
      } else {
        vol1StartSawVol2Start = await(vol2Starting);
      }
      log.add("done start " + req.getVolume());
      ok(out, "started");
    }
  }
}
