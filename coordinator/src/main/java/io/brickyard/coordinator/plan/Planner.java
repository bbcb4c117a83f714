package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.ValidationIssue;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.Issue;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.VolumeSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Computes a plan from the live cluster: every step is asked of its agent as a dry run, so the
 * nodes are the truth and the plan shows the exact commands. Nodes are planned in parallel; within
 * a chain, once a step would change something, its successors are PENDING (they can only be
 * checked after it ran). Nothing is changed by planning.
 */
public final class Planner {
  private static final RequestOptions DRY = RequestOptions.newBuilder().setDryRun(true).build();
  private final AgentClients clients;
  private final ExecutorService pool;
  private final Duration probeDeadline;
  private final Duration deadline;

  /**
   * @param probeDeadline for the reachability probe: a dead node costs at most this
   * @param deadline for each dry run (firewall-cmd and gluster reads can take seconds)
   */
  public Planner(AgentClients clients, ExecutorService pool, Duration probeDeadline, Duration deadline) {
    this.clients = clients;
    this.pool = pool;
    this.probeDeadline = probeDeadline;
    this.deadline = deadline;
  }

  public static ValidationReport report(List<Issue> issues) {
    ValidationReport.Builder b = ValidationReport.newBuilder().setValid(issues.stream().noneMatch(Issue::isError));
    for (Issue i : issues) {
      b.addIssues(ValidationIssue.newBuilder().setPath(i.path()).setMessage(i.message()).setWarning(i.warning()));
    }
    return b.build();
  }

  /**
   * Each node's dry runs start as soon as that node has answered its reachability probe (a health
   * check; not when the slowest node has), or right away, beside the probe, when the coordinator's connection to
   * the node is up at this moment: dry runs are reads, and a connected node is almost always a
   * reachable one; if its probe fails after all, the node is refused as usual and its dry
   * runs' answers are dropped. (A node not connected is probed first, so a dead or black-holed
   * node never ties up pool threads with dry runs waiting for a connection.) Nothing here blocks a
   * pool thread on another pool task (futures are composed, only the caller joins), so a fixed
   * pool plans any number of nodes.
   */
  public Plan plan(ClusterSpec spec, List<Issue> warnings) {
    NodeProbe probe = new NodeProbe(clients, pool, probeDeadline);
    List<CompletableFuture<NodeView>> viewFs = new ArrayList<>();
    List<CompletableFuture<List<PlannedStep>>> perNode = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      DesiredSteps.NodeSteps ns = DesiredSteps.forNode(spec, n);
      boolean connected = clients.connected(DesiredSteps.address(n));
      CompletableFuture<NodeView> v = probe.probeReachableAsync(DesiredSteps.address(n));
      viewFs.add(v);
      CompletableFuture<List<PlannedStep>> early = connected ? planNode(ns) : null;
      perNode.add(v.thenCompose(view -> !view.getReachable() ? CompletableFuture.completedFuture(unreachable(ns, view))
          : early != null ? early : planNode(ns)));
    }
    List<NodeView> views = viewFs.stream().map(CompletableFuture::join).toList();
    Set<String> down = new HashSet<>();
    views.stream().filter(v -> !v.getReachable()).forEach(v -> down.add(v.getName()));
    List<PlannedStep> steps = new ArrayList<>();
    perNode.forEach(f -> steps.addAll(f.join()));
    boolean nodeWorkPending = steps.stream().anyMatch(PlannedStep::runs);
    steps.addAll(planCluster(spec, down, nodeWorkPending));
    List<String> warnText = new ArrayList<>();
    warnings.forEach(w -> warnText.add(w.path() + ": " + w.message()));
    steps.stream().filter(s -> s.dryRun() != null).forEach(s -> s.dryRun().getWarningsList()
        .forEach(w -> warnText.add(s.step().node() + ": " + w)));
    return new Plan(spec, steps, views, warnText, report(warnings));
  }

  /** One refusal per unreachable node says it all; its steps cannot even be planned. */
  private static List<PlannedStep> unreachable(DesiredSteps.NodeSteps ns, NodeView view) {
    Step first = ns.chains().get(0).get(0);
    return List.of(new PlannedStep(first, PlannedStep.State.REFUSED, null, "node " + view.getName() + " " + view.getError()));
  }

  private CompletableFuture<List<PlannedStep>> planNode(DesiredSteps.NodeSteps ns) {
    // Independent chains are dry-run in parallel; a chain that starts with a dependency marker
    // (thin volumes after their pool) waits for the chain holding that step.
    List<List<Step>> independent = ns.chains().stream().filter(c -> c.get(0).call() != null).toList();
    List<List<Step>> dependent = ns.chains().stream().filter(c -> c.get(0).call() == null).toList();
    return runChains(independent, List.of()).thenCompose(first -> runChains(dependent, first).thenApply(second -> {
      List<PlannedStep> out = new ArrayList<>(first);
      out.addAll(second);
      return out;
    }));
  }

  private CompletableFuture<List<PlannedStep>> runChains(List<List<Step>> chains, List<PlannedStep> earlier) {
    List<CompletableFuture<List<PlannedStep>>> fs = chains.stream()
        .map(c -> CompletableFuture.supplyAsync(() -> planChain(c, earlier), pool)).toList();
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<PlannedStep> out = new ArrayList<>();
      fs.forEach(f -> out.addAll(f.join())); // all complete here: join does not wait
      return out;
    });
  }

  private List<PlannedStep> planChain(List<Step> chain, List<PlannedStep> earlier) {
    List<PlannedStep> out = new ArrayList<>();
    boolean blocked = false;
    String blocker = "";
    for (Step s : chain) {
      if (s.call() == null) { // a dependency marker: inherits the state of the step it names
        PlannedStep dep = earlier.stream().filter(p -> p.step().id().equals(s.id())).findFirst().orElse(null);
        if (dep != null && dep.state() != PlannedStep.State.CONVERGED) {
          blocked = true;
          blocker = s.id();
        }
        continue;
      }
      if (blocked) {
        out.add(new PlannedStep(s, PlannedStep.State.PENDING, null, "checked when applied, after " + blocker));
        continue;
      }
      PlannedStep p = dryRun(s, false);
      out.add(p);
      if (p.state() != PlannedStep.State.CONVERGED) {
        blocked = true;
        blocker = s.id();
      }
    }
    return out;
  }

  private List<PlannedStep> planCluster(ClusterSpec spec, Set<String> down, boolean nodeWorkPending) {
    List<PlannedStep> out = new ArrayList<>();
    NodeSpec anchor = spec.nodes().stream().filter(n -> !down.contains(n.name())).findFirst().orElse(null);
    if (anchor == null) {
      return out; // every node is down: the node steps already say so
    }
    List<Step> steps = DesiredSteps.cluster(spec, anchor);
    // Dry runs are reads: ask them all at once, then apply the ordering rule below.
    List<CompletableFuture<PlannedStep>> dry = steps.stream().map(s -> nodeWorkPending || needsDownNode(spec, s, down) != null
        ? CompletableFuture.<PlannedStep>completedFuture(null)
        : CompletableFuture.supplyAsync(() -> dryRun(s, true), pool)).toList();
    boolean pending = nodeWorkPending;
    String blocker = "node preparation";
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      String needsDown = needsDownNode(spec, s, down);
      if (needsDown != null) {
        out.add(new PlannedStep(s, PlannedStep.State.REFUSED, null, "needs node " + needsDown + ", which is unreachable"));
        continue;
      }
      if (pending) {
        out.add(new PlannedStep(s, PlannedStep.State.PENDING, null, "checked when applied, after " + blocker));
        continue;
      }
      PlannedStep p = dry.get(i).join();
      out.add(p);
      if (p.state() == PlannedStep.State.CHANGE) {
        pending = true;
        blocker = s.id();
      }
    }
    return out;
  }

  private static String needsDownNode(ClusterSpec spec, Step s, Set<String> down) {
    if (s.id().startsWith("cluster/peer:")) {
      String n = s.id().substring("cluster/peer:".length());
      return down.contains(n) ? n : null;
    }
    String vol = s.id().substring(s.id().indexOf(':') + 1);
    VolumeSpec v = spec.volume(vol).orElse(null);
    if (v == null) {
      return null;
    }
    return DesiredSteps.brickNodes(spec, v).stream().filter(down::contains).findFirst().orElse(null);
  }

  /** Asks the agent. Refusals are REFUSED; other failures of a cluster step whose inputs are not settled are PENDING. */
  private PlannedStep dryRun(Step s, boolean cluster) {
    try {
      OperationResult r = s.call().run(clients, s.target(), DRY, deadline);
      if (!r.getChanged()) {
        return new PlannedStep(s, PlannedStep.State.CONVERGED, r, r.getSummary());
      }
      return new PlannedStep(s, PlannedStep.State.CHANGE, r, r.getSummary());
    } catch (StatusRuntimeException e) {
      Status.Code c = e.getStatus().getCode();
      String why = e.getStatus().getDescription() == null ? c.toString() : e.getStatus().getDescription();
      if (c == Status.Code.FAILED_PRECONDITION || c == Status.Code.INVALID_ARGUMENT || c == Status.Code.UNIMPLEMENTED) {
        return new PlannedStep(s, PlannedStep.State.REFUSED, null, why);
      }
      return new PlannedStep(s, PlannedStep.State.REFUSED, null, (cluster ? "" : s.node() + ": ") + NodeProbe.describe(e));
    }
  }
}
