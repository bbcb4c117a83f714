package io.brickyard.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.brickyard.api.agent.v1.AddBricksRequest;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.GetPoolRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.GlusterVolumes;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.SetVolumeOptionsRequest;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Planning over in-process agents that answer dry runs like a fresh node (firewall and services
 * already fine, blank disks): more nodes than pool threads must still plan (no pool thread may wait
 * for another pool task), a dead node is one refusal, and the volumes that need it are refused.
 */
class PlannerTest {
  private static final int NODES = 6;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final InProcessAgents agents = new InProcessAgents("plan-");

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    agents.close();
  }

  @Test
  void plansMoreNodesThanPoolThreadsAndRefusesWhatNeedsADeadNode() throws Exception {
    ClusterSpec spec = SpecParser.parse(spec(), "six.yaml");
    for (int i = 1; i < NODES; i++) { // node6 has no agent: UNAVAILABLE
      agents.add("n" + i, new Services(), new Firewall(), new Storage());
    }
    try (AgentClients clients = agents.clients()) {
      Planner planner = new Planner(clients, pool, Duration.ofSeconds(2), Duration.ofSeconds(5));
      Plan plan = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> planner.plan(spec, List.of()));
      assertThat(plan.nodes()).extracting(v -> v.getName() + "=" + v.getReachable())
          .containsExactly("n1=true", "n2=true", "n3=true", "n4=true", "n5=true", "n6=false");
      assertThat(states(plan, "n1/")).containsExactly(
          "n1/services/firewalld CONVERGED", "n1/firewall/allow CONVERGED", "n1/services/glusterd CONVERGED",
          "n1/storage/xfs:/dev/sdb CHANGE", "n1/storage/mount:/gluster/b1 PENDING",
          "n1/storage/brick:/gluster/b1/brick PENDING");
      assertThat(states(plan, "n6/")).singleElement().asString().endsWith("REFUSED");
      assertThat(plan.steps()).filteredOn(s -> s.step().node().equals("n6")).singleElement()
          .satisfies(s -> assertThat(s.reason()).startsWith("node n6 unreachable"));
      // a volume on n1..n4 waits for node preparation; the one with a brick on n6 is refused
      assertThat(states(plan, "cluster/volume:")).containsExactly(
          "cluster/volume:va PENDING", "cluster/volume:vb REFUSED");
      assertThat(plan.blocked()).isTrue();
    }
  }

  @Test
  void dryRunsStartBesideTheFactsCallOnlyOnALiveConnection() throws Exception {
    ClusterSpec spec = SpecParser.parse(twoNodeSpec(), "two.yaml");
    SlowHealth health1 = new SlowHealth();
    SlowHealth health2 = new SlowHealth();
    agents.add("n1", health1, new Services(health1), new Firewall(), new Storage());
    agents.add("n2", health2, new Services(health2), new Firewall(), new Storage());
    try (AgentClients clients = agents.clients()) {
      callOnce(clients, spec, 0); // n1 answered before (its channel is up); n2 was never called
      health1.slow = true;
      health2.slow = true;
      Planner planner = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5));
      Plan plan = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> planner.plan(spec, List.of()));
      assertThat(health1.dryRunSeenWhileAnswering).as("n1: a dry run arrived while its probe was pending").isTrue();
      assertThat(health2.dryRunSeenWhileAnswering).as("n2: no dry run before its probe answered").isFalse();
      assertThat(states(plan, "n1/")).contains("n1/firewall/allow CONVERGED", "n1/storage/xfs:/dev/sdb CHANGE");
      assertThat(states(plan, "n2/")).contains("n2/firewall/allow CONVERGED", "n2/storage/xfs:/dev/sdb CHANGE");
    }
  }

  @Test
  void aConnectedNodeWhoseProbeFailsIsRefusedAndItsEarlyDryRunsDropped() throws Exception {
    ClusterSpec spec = SpecParser.parse(twoNodeSpec(), "two.yaml");
    SlowHealth health1 = new SlowHealth();
    agents.add("n1", health1, new Services(), new Firewall(), new Storage());
    agents.add("n2", new Services(), new Firewall(), new Storage());
    try (AgentClients clients = agents.clients()) {
      callOnce(clients, spec, 0);
      health1.fail = true;
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5)).plan(spec, List.of());
      assertThat(states(plan, "n1/")).singleElement().asString().endsWith("REFUSED");
      assertThat(plan.nodes()).extracting(v -> v.getName() + "=" + v.getReachable()).containsExactly("n1=false", "n2=true");
    }
  }

  /**
   * On a built cluster (lab.yaml applied: every node step true, vol1 and vol2 exist), changing one
   * option of vol1 plans exactly that step: the other volume steps' inputs do not change, so they are
   * dry-run (CONVERGED) instead of PENDING behind it.
   */
  @Test
  void anOptionChangeOnABuiltClusterPlansExactlyThatStep() throws Exception {
    ClusterSpec spec = SpecParser.parse(labSpec().replace("    replica: 2\n",
        "    replica: 2\n    options: {performance.cache-size: 64MB}\n"), "lab.yaml");
    Built built = built();
    try (AgentClients clients = agents.clients()) {
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5)).plan(spec, List.of());
      assertThat(plan.toRun()).extracting(s -> s.step().id() + " " + s.state())
          .containsExactly("cluster/options:vol1 CHANGE");
      assertThat(plan.steps()).filteredOn(s -> s.step().key() instanceof StepKey.VolumeStart)
          .extracting(PlannedStep::state).containsOnly(PlannedStep.State.CONVERGED);
      assertThat(plan.blocked()).isFalse();
      assertThat(built.reshapeAsked).isFalse();
    }
  }

  /**
   * A spec that grows an existing volume (vol1, replica 2, from 2 to 4 bricks: a second set) plans
   * add-brick, then the rebalance, behind the new bricks' directories (docs/day2.md); the volume is
   * not created again.
   */
  @Test
  void aGrownVolumeIsPlannedAsAddBrickThenRebalance() throws Exception {
    ClusterSpec spec = SpecParser.parse(grown(labSpec()), "lab.yaml");
    Built built = built();
    try (AgentClients clients = agents.clients()) {
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5)).plan(spec, List.of());
      assertThat(plan.validation().getValid()).isTrue();
      assertThat(plan.toRun()).extracting(s -> s.step().id() + " " + s.step().action() + " " + s.state())
          .containsExactly(
              "gluster1/storage/brick:/gluster/vol1/brick1/brick2 brick.ensure CHANGE",
              "gluster2/storage/brick:/gluster/vol1/brick1/brick2 brick.ensure CHANGE",
              "cluster/volume:vol1 gluster.volume.add-brick PENDING",
              "cluster/start:vol1 gluster.volume.start PENDING",
              "cluster/rebalance:vol1 gluster.volume.rebalance PENDING");
      PlannedStep add = plan.toRun().get(2);
      assertThat(add.step().description()).isEqualTo("volume vol1: add 2 brick(s) as new set(s): the spec lists 4"
          + " bricks, the volume has 2");
      assertThat(add.step().needs()).contains(new StepKey.BrickDirectory("gluster1", "/gluster/vol1/brick1/brick2"))
          .doesNotContain(new StepKey.BrickDirectory("gluster1", "/gluster/vol1/brick1/brick"));
      assertThat(plan.toRun().get(4).waitsFor()).isEqualTo(new StepKey.BrickDirectory("gluster1",
          "/gluster/vol1/brick1/brick2"));
      assertThat(plan.blocked()).isFalse();
      assertThat(built.reshapeAsked).isFalse();
    }
  }

  /**
   * A shape gluster cannot reach from the volume as it is (here: a new set's bricks put before the
   * existing ones) is an error on the spec's field, found by the plan; the plan is blocked.
   */
  @Test
  void aShapeGlusterCannotReachIsASpecErrorOfThePlan() throws Exception {
    String spec = labSpec().replace("      - gluster1:/gluster/vol1/brick1/brick\n",
        "      - gluster1:/gluster/vol1/brick1/brick2\n      - gluster2:/gluster/vol1/brick1/brick2\n"
            + "      - gluster1:/gluster/vol1/brick1/brick\n").replace("    type: replicate\n",
        "    type: distributed-replicate\n");
    built();
    try (AgentClients clients = agents.clients()) {
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5))
          .plan(SpecParser.parse(spec, "lab.yaml"), List.of());
      assertThat(plan.validation().getValid()).isFalse();
      assertThat(plan.validation().getIssuesList()).extracting(i -> i.getPath())
          .containsExactly("volumes[0].bricks");
      assertThat(plan.validation().getIssues(0).getMessage()).contains("new sets follow the existing ones");
      assertThat(plan.blocked()).isTrue();
      assertThat(plan.toProto().getBlocked()).isTrue();
    }
  }

  /** Bricks the spec dropped are drift, left for brickyard brick remove: apply never removes one. */
  @Test
  void droppedBricksAreDriftNotAStep() throws Exception {
    ClusterSpec spec = SpecParser.parse(labSpec(), "lab.yaml");
    Built built = built();
    built.volumes.put("vol1", List.of("gluster1:/gluster/vol1/brick1/brick", "gluster2:/gluster/vol1/brick1/brick",
        "gluster1:/gluster/vol1/brick1/brick2", "gluster2:/gluster/vol1/brick1/brick2"));
    try (AgentClients clients = agents.clients()) {
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5)).plan(spec, List.of());
      assertThat(plan.validation().getValid()).isTrue();
      assertThat(plan.toRun()).isEmpty();
      assertThat(plan.unmanaged()).filteredOn(d -> d.getKind().equals("brick")).extracting(d -> d.getName())
          .containsExactly("gluster1:/gluster/vol1/brick1/brick2", "gluster2:/gluster/vol1/brick1/brick2");
      assertThat(plan.unmanaged()).filteredOn(d -> d.getKind().equals("brick")).first().extracting(d -> d.getAction())
          .asString().startsWith("left alone: brickyard brick remove vol1 ");
    }
  }

  /**
   * vol1 replica 2 -> 3 (one new brick at the end of its set): add-brick, then the heal onto the new
   * brick is waited for; no rebalance (no new set).
   */
  @Test
  void aHigherReplicaCountIsPlannedAsAddBrickThenHeal() throws Exception {
    ClusterSpec spec = SpecParser.parse(labSpec().replace("    replica: 2\n    bricks:\n      - gluster1:/gluster/vol1",
        "    replica: 3\n    allowSameNodeReplicas: true\n    bricks:\n      - gluster1:/gluster/vol1")
        .replace("      - gluster2:/gluster/vol1/brick1/brick\n", "      - gluster2:/gluster/vol1/brick1/brick\n"
            + "      - gluster1:/gluster/vol1/brick1/brick3\n"), "lab.yaml");
    built();
    try (AgentClients clients = agents.clients()) {
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5)).plan(spec, List.of());
      assertThat(plan.validation().getIssuesList()).filteredOn(i -> !i.getWarning()).isEmpty();
      assertThat(plan.toRun()).extracting(s -> s.step().id() + " " + s.step().action())
          .contains("cluster/volume:vol1 gluster.volume.add-brick", "cluster/heal:vol1 gluster.volume.heal")
          .noneMatch(x -> x.contains("rebalance"));
      assertThat(plan.toRun()).filteredOn(s -> s.step().key() instanceof StepKey.Volume).singleElement()
          .extracting(s -> s.step().description()).asString().contains("raise the replica count to 3 with 1 new brick");
    }
  }

  private static String grown(String spec) {
    return spec.replace("      - gluster2:/gluster/vol1/brick1/brick\n",
        "      - gluster2:/gluster/vol1/brick1/brick\n      - gluster1:/gluster/vol1/brick1/brick2\n"
            + "      - gluster2:/gluster/vol1/brick1/brick2\n").replace("    type: replicate\n",
        "    type: distributed-replicate\n");
  }

  /** What the cluster has and the spec does not describe is reported, to be left alone. */
  @Test
  void aVolumeAndAPeerTheSpecDoesNotDescribeAreReportedAsUnmanaged() throws Exception {
    ClusterSpec spec = SpecParser.parse(labSpec(), "lab.yaml");
    built();
    try (AgentClients clients = agents.clients()) {
      Plan plan = new Planner(clients, pool, Duration.ofSeconds(5), Duration.ofSeconds(5)).plan(spec, List.of());
      assertThat(plan.toRun()).isEmpty();
      assertThat(plan.unmanaged()).extracting(d -> d.getKind() + " " + d.getName() + " " + d.getAction())
          .containsExactly("volume vol9 left alone", "peer gluster3 left alone");
      assertThat(plan.unmanaged().get(0).getDescription())
          .isEqualTo("volume vol9 exists (Distribute, 1 bricks, Started), not in the spec");
      assertThat(plan.toProto().getUnmanagedList()).hasSize(2);
    }
  }

  private static String labSpec() throws java.io.IOException {
    return java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", "lab.yaml"));
  }

  /** lab.yaml's cluster, built: every node step true; vol1, vol2 and an unmanaged vol9; an unmanaged peer. */
  private Built built() throws Exception {
    Built b = new Built();
    for (String n : List.of("gluster1", "gluster2")) {
      agents.add(n, new Services(), new Firewall(), new BuiltStorage(), b);
    }
    return b;
  }

  private static final class BuiltStorage extends StorageServiceGrpc.StorageServiceImplBase {
    @Override
    public void ensureXfs(EnsureXfsRequest req, StreamObserver<OperationResult> out) {
      answer(out, false, "XFS on " + req.getDevice());
    }

    @Override
    public void ensureMount(EnsureMountRequest req, StreamObserver<OperationResult> out) {
      answer(out, false, "mounted");
    }

    @Override
    public void ensureBrickDirectory(EnsureBrickDirectoryRequest req, StreamObserver<OperationResult> out) {
      boolean exists = req.getPath().endsWith("/brick");
      answer(out, !exists, exists ? "exists" : "would create " + req.getPath());
    }
  }

  /** glusterd of a built cluster, answering dry runs as the agent does (a different layout is refused). */
  private static final class Built extends GlusterServiceGrpc.GlusterServiceImplBase {
    volatile boolean reshapeAsked;
    final Map<String, List<String>> volumes = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
        "vol1", List.of("gluster1:/gluster/vol1/brick1/brick", "gluster2:/gluster/vol1/brick1/brick"),
        "vol2", List.of("gluster1:/gluster/vol2/brick1/brick", "gluster2:/gluster/vol2/brick1/brick"),
        "vol9", List.of("gluster1:/gluster/vol9")));

    @Override
    public void getPool(GetPoolRequest req, StreamObserver<GlusterPool> out) {
      out.onNext(GlusterPool.newBuilder().setGlusterdReachable(true)
          .addPeers(GlusterPeer.newBuilder().setHostname("localhost").setSelf(true))
          .addPeers(GlusterPeer.newBuilder().setHostname("gluster2").setConnected(true))
          .addPeers(GlusterPeer.newBuilder().setHostname("gluster3").setConnected(true)).build());
      out.onCompleted();
    }

    @Override
    public void getVolumes(GetVolumesRequest req, StreamObserver<GlusterVolumes> out) {
      GlusterVolumes.Builder b = GlusterVolumes.newBuilder();
      for (String name : List.of("vol1", "vol2", "vol9")) {
        GlusterVolume.Builder v = GlusterVolume.newBuilder().setName(name).setStatus("Started")
            .setType(name.equals("vol1") ? "Replicate" : "Distribute").setBrickCount(volumes.get(name).size())
            .setReplicaCount(name.equals("vol1") ? 2 : 1);
        volumes.get(name).forEach(br -> v.addBricks(GlusterBrick.newBuilder().setName(br)));
        b.addVolumes(v);
      }
      out.onNext(b.build());
      out.onCompleted();
    }

    @Override
    public void probePeer(ProbePeerRequest req, StreamObserver<OperationResult> out) {
      answer(out, false, req.getHostname() + " already in the pool");
    }

    @Override
    public void ensureVolume(EnsureVolumeRequest req, StreamObserver<OperationResult> out) {
      List<String> have = volumes.get(req.getName());
      if (have != null && !have.equals(req.getBricksList())) {
        reshapeAsked = true;
        out.onError(Status.FAILED_PRECONDITION.withDescription("volume " + req.getName() + " already exists with a "
            + "different layout (brickyard never reshapes an existing volume)").asRuntimeException());
        return;
      }
      answer(out, have == null, have == null ? "would create" : "exists");
    }

    @Override
    public void setVolumeOptions(SetVolumeOptionsRequest req, StreamObserver<OperationResult> out) {
      answer(out, true, "would set " + req.getValuesMap());
    }

    @Override
    public void addBricks(AddBricksRequest req, StreamObserver<OperationResult> out) {
      List<String> have = volumes.get(req.getVolume());
      answer(out, !have.equals(req.getBricksList()), "add-brick");
    }

    @Override
    public void startVolume(StartVolumeRequest req, StreamObserver<OperationResult> out) {
      answer(out, false, "already started");
    }
  }

  private static String twoNodeSpec() {
    return """
        apiVersion: brickyard/v1
        kind: Cluster
        metadata: {name: two}
        nodes:
          - {name: n1, address: "10.9.0.1:7443"}
          - {name: n2, address: "10.9.0.2:7443"}
        firewall: {trustedSources: [10.9.0.0/24]}
        storage:
          defaults:
            - {device: /dev/sdb, mountPoint: /gluster/b1}
        """;
  }

  /**
   * The agent's health check (the planner's reachability probe) that, when slow, waits up to 1 s
   * for a dry run (any EnsureService) to reach the same node before answering, and says whether one
   * did; when failing, answers UNAVAILABLE like an agent going away.
   */
  private static final class SlowHealth extends HealthGrpc.HealthImplBase {
    volatile boolean slow;
    volatile boolean fail;
    volatile boolean dryRunSeenWhileAnswering;
    final CountDownLatch dryRun = new CountDownLatch(1);

    @Override
    public void check(HealthCheckRequest req, StreamObserver<HealthCheckResponse> out) {
      if (fail) {
        out.onError(Status.UNAVAILABLE.withDescription("agent going away").asRuntimeException());
        return;
      }
      if (slow) {
        try {
          dryRunSeenWhileAnswering = dryRun.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      out.onNext(HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
      out.onCompleted();
    }
  }

  /** Makes the coordinator's channel to {@code node} connected, as any earlier call would. */
  private static void callOnce(AgentClients clients, ClusterSpec spec, int node) {
    HealthGrpc.newBlockingStub(clients.channel(DesiredSteps.address(spec.nodes().get(node))))
        .withDeadlineAfter(5, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
  }

  private static List<String> states(Plan plan, String prefix) {
    return plan.steps().stream().filter(s -> s.step().id().startsWith(prefix))
        .map(s -> s.step().id() + " " + s.state()).toList();
  }

  private static String spec() {
    StringBuilder y = new StringBuilder("apiVersion: brickyard/v1\nkind: Cluster\nmetadata:\n  name: six\nnodes:\n");
    for (int i = 1; i <= NODES; i++) {
      y.append("  - name: n").append(i).append("\n    address: 10.9.0.").append(i).append(":7443\n");
    }
    y.append("firewall:\n  trustedSources: [10.9.0.0/24]\n");
    y.append("storage:\n  defaults:\n    - device: /dev/sdb\n      mountPoint: /gluster/b1\n");
    y.append("volumes:\n  - name: va\n    type: distributed-replicate\n    replica: 2\n    bricks:\n");
    for (int i = 1; i <= 4; i++) {
      y.append("      - n").append(i).append(":/gluster/b1/brick\n");
    }
    y.append("  - name: vb\n    type: replicate\n    replica: 2\n    bricks:\n");
    y.append("      - n5:/gluster/b1/brick\n      - n6:/gluster/b1/brick\n");
    return y.toString();
  }

  private static void answer(StreamObserver<OperationResult> out, boolean changed, String what) {
    out.onNext(OperationResult.newBuilder().setChanged(changed).setSummary(what).build());
    out.onCompleted();
  }

  /** Services already fine; tells the node's {@link SlowHealth} (if any) that a dry run arrived. */
  private static final class Services extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
    private final SlowHealth facts;

    Services() {
      this(null);
    }

    Services(SlowHealth facts) {
      this.facts = facts;
    }

    @Override
    public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
      if (facts != null) {
        facts.dryRun.countDown();
      }
      answer(out, false, req.getUnit() + " running");
    }
  }

  private static final class Firewall extends FirewallServiceGrpc.FirewallServiceImplBase {
    @Override
    public void ensureAllowed(EnsureAllowedRequest req, StreamObserver<OperationResult> out) {
      answer(out, false, "present");
    }
  }

  private static final class Storage extends StorageServiceGrpc.StorageServiceImplBase {
    @Override
    public void ensureXfs(EnsureXfsRequest req, StreamObserver<OperationResult> out) {
      answer(out, true, "would create XFS on " + req.getDevice());
    }

    @Override
    public void ensureMount(EnsureMountRequest req, StreamObserver<OperationResult> out) {
      throw new AssertionError("after a CHANGE, the rest of the chain is PENDING and never dry-run");
    }

    @Override
    public void ensureBrickDirectory(EnsureBrickDirectoryRequest req, StreamObserver<OperationResult> out) {
      throw new AssertionError("after a CHANGE, the rest of the chain is PENDING and never dry-run");
    }
  }
}
