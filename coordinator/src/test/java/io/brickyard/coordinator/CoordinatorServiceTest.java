package io.brickyard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.GetInventoryRequest;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.Inventory;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.api.coordinator.v1.ListNodesResponse;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.server.CoordinatorServiceImpl;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator service as {@link CoordinatorMain#service} wires it, over in-process agents that
 * answer every dry run "would change" and record every real call.
 */
class CoordinatorServiceTest {
  private static final String SPEC = """
      apiVersion: brickyard/v1
      kind: Cluster
      metadata: {name: two}
      nodes:
        - {name: n1, address: "10.9.0.1:7443"}
        - {name: n2, address: "10.9.0.2:7443"}
      firewall: {trustedSources: [10.9.0.0/24]}
      """;
  /** Only a bound for a broken build (a starved read never answers); a passing run never waits for it. */
  private static final long HANG_S = 20;
  @TempDir Path dir;
  private final InProcessAgents agents = new InProcessAgents("svc-");
  /** As many apply threads as nodes: one blocked step per node fills the apply pool. */
  private final Pools pools = new Pools(Pools.fixed(2, "test-apply"), Pools.fixed(2, "test-read"));
  private final List<String> realCalls = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch blocked = new CountDownLatch(2);
  private volatile boolean blockSteps;

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    pools.close();
    agents.close();
  }

  /**
   * Every apply thread waits inside an agent call (a step that takes minutes on a real node), and
   * {@code nodes} and {@code plan} must still answer before those steps are let go: reads have their
   * own pool. With the single pool of before, both waited behind the apply's steps.
   */
  @Test
  void readsAnswerWhileApplyStepsHoldEveryApplyThread() throws Exception {
    blockSteps = true;
    try (AgentClients clients = agents()) {
      CoordinatorServiceImpl api = service(clients, new NodeRegistry(dir.resolve("nodes.conf")));
      Recorder<ApplyEvent> apply = new Recorder<>();
      CompletableFuture.runAsync(() -> api.apply(ApplyRequest.newBuilder().setSpecYaml(SPEC).build(), apply));
      assertThat(blocked.await(HANG_S, TimeUnit.SECONDS)).as("both nodes' first steps started").isTrue();

      Recorder<ListNodesResponse> nodes = new Recorder<>();
      CompletableFuture.runAsync(() -> api.listNodes(ListNodesRequest.getDefaultInstance(), nodes));
      Recorder<PlanResponse> plan = new Recorder<>();
      CompletableFuture.runAsync(() -> api.plan(SpecRequest.newBuilder().setSpecYaml(SPEC).build(), plan));
      // both must finish while the apply's steps are still held (the calls run on threads of their
      // own, as on the gRPC server's: a starved one shows as a timeout here, not as a hung test)
      assertThat(nodes.done.get(HANG_S, TimeUnit.SECONDS).get(0).getNodesList()).extracting(NodeView::getReachable)
          .containsExactly(true, true);
      assertThat(plan.done.get(HANG_S, TimeUnit.SECONDS).get(0).getBlocked()).isFalse();
      assertThat(apply.done).isNotDone();

      release.countDown();
      List<ApplyEvent> events = apply.done.get(HANG_S, TimeUnit.SECONDS);
      assertThat(events.get(events.size() - 1).getSummary().getSuccess()).isTrue();
    }
  }

  /**
   * The state directory is a regular file (stops root too, unlike a chmod): the apply fails before
   * any step with FAILED_PRECONDITION naming the directory and its cause, not an opaque UNKNOWN, no
   * agent is asked to change anything, and the node list in memory is unchanged.
   */
  @Test
  void anUnwritableStateDirectoryStopsTheApplyWithItsCauseBeforeAnyStep() throws Exception {
    Path state = dir.resolve("state");
    Files.writeString(state, "not a directory");
    try (AgentClients clients = agents()) {
      NodeRegistry registry = new NodeRegistry(state.resolve("nodes.conf"));
      CoordinatorServiceImpl api = service(clients, registry);
      Recorder<ApplyEvent> apply = new Recorder<>();
      api.apply(ApplyRequest.newBuilder().setSpecYaml(SPEC).build(), apply);
      assertThat(apply.done).isCompletedExceptionally();
      Throwable e = apply.done.handle((v, t) -> t).get();
      assertThat(e).isInstanceOf(StatusRuntimeException.class);
      Status s = ((StatusRuntimeException) e).getStatus();
      assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(s.getDescription()).startsWith("the coordinator cannot write its state directory " + state + " (")
          .contains("nodes.conf").endsWith("nothing was run").doesNotContain("\n");
      assertThat(realCalls).isEmpty();
      assertThat(registry.all()).isEmpty();
    }
  }

  private CoordinatorServiceImpl service(AgentClients clients, NodeRegistry registry) {
    return CoordinatorMain.service(registry, clients, new Journal(dir), pools, Duration.ofSeconds(5),
        Duration.ofSeconds(5));
  }

  private AgentClients agents() throws Exception {
    for (String n : List.of("n1", "n2")) {
      agents.add(n, new Facts(), new Services(n), new Firewall(n), new Gluster(n));
    }
    return agents.clients();
  }

  /** Dry run: "would change" (so the plan has steps to run). Real: recorded, and held while blocking. */
  private void answer(boolean dryRun, String call, StreamObserver<OperationResult> out) {
    if (!dryRun) {
      realCalls.add(call);
      if (blockSteps && call.contains(" service ")) {
        blocked.countDown();
        try {
          release.await(HANG_S * 3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    out.onNext(OperationResult.newBuilder().setChanged(true).setSummary(call).build());
    out.onCompleted();
  }

  private static final class Facts extends FactsServiceGrpc.FactsServiceImplBase {
    @Override
    public void getFacts(GetFactsRequest req, StreamObserver<NodeFacts> out) {
      out.onNext(NodeFacts.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void getInventory(GetInventoryRequest req, StreamObserver<Inventory> out) {
      out.onNext(Inventory.getDefaultInstance());
      out.onCompleted();
    }
  }

  private final class Services extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
    private final String node;

    Services(String node) {
      this.node = node;
    }

    @Override
    public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions().getDryRun(), node + " service " + req.getUnit(), out);
    }
  }

  private final class Firewall extends FirewallServiceGrpc.FirewallServiceImplBase {
    private final String node;

    Firewall(String node) {
      this.node = node;
    }

    @Override
    public void ensureAllowed(EnsureAllowedRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions().getDryRun(), node + " firewall", out);
    }
  }

  private final class Gluster extends GlusterServiceGrpc.GlusterServiceImplBase {
    private final String node;

    Gluster(String node) {
      this.node = node;
    }

    @Override
    public void probePeer(ProbePeerRequest req, StreamObserver<OperationResult> out) {
      answer(req.getOptions().getDryRun(), node + " probe " + req.getHostname(), out);
    }
  }

  /** What a call sent back: every message once it completes, or its error. */
  private static final class Recorder<T> implements StreamObserver<T> {
    final List<T> values = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<List<T>> done = new CompletableFuture<>();

    @Override
    public void onNext(T v) {
      values.add(v);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(values);
    }
  }
}
