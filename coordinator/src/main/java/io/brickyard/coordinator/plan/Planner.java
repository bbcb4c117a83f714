package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GetPoolRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.ValidationIssue;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.Issue;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.nfs.ExportIds;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.vip.OwnedVips;
import io.brickyard.coordinator.vip.VipMover;
import io.brickyard.api.coordinator.v1.Drift;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Computes a plan from the live cluster by walking the step graph: a step whose inputs
 * ({@link Step#needs()}) are all already true is asked of its agent as a dry run, so the nodes are
 * the truth and the plan shows the exact commands; a step with an input that changes first is
 * PENDING and says which changing step it waits for. Order-only edges do not matter here. Nothing is
 * changed by planning.
 */
public final class Planner {
  private static final RequestOptions DRY = RequestOptions.newBuilder().setDryRun(true).build();
  private final AgentClients clients;
  private final ExecutorService pool;
  private final Duration probeDeadline;
  private final Duration deadline;
  private final OwnedVips owned;

  /** Told about every plan made (metrics: drift); a listener that throws is logged, never fails the plan. */
  private volatile java.util.function.Consumer<Plan> onPlan = p -> { };

  public void onPlan(java.util.function.Consumer<Plan> listener) {
    onPlan = listener;
  }

  /**
   * @param probeDeadline for the reachability probe: a dead node costs at most this
   * @param deadline for each dry run (firewall-cmd and gluster reads can take seconds)
   */
  public Planner(AgentClients clients, ExecutorService pool, Duration probeDeadline, Duration deadline) {
    this(clients, pool, probeDeadline, deadline, new OwnedVips());
  }

  /** @param owned the VIP ownership calls and move mark an HA spec's VIP moves use */
  public Planner(AgentClients clients, ExecutorService pool, Duration probeDeadline, Duration deadline,
      OwnedVips owned) {
    this.clients = clients;
    this.pool = pool;
    this.probeDeadline = probeDeadline;
    this.deadline = deadline;
    this.owned = owned;
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
   * node never ties up pool threads with dry runs waiting for a connection.) The cluster's steps
   * are built once every node answered, from the pool and volumes the first reachable node (the
   * anchor) reports, and each is dry-run as soon as the node steps it needs are planned. Nothing
   * here blocks a pool thread on another pool task (futures are composed, only the caller joins),
   * so a fixed pool plans any number of nodes.
   */
  public Plan plan(ClusterSpec spec, List<Issue> warnings) {
    return plan(spec, warnings, false);
  }

  /**
   * As {@link #plan(ClusterSpec, List)}; with an NFS service the NFS nodes' facts (VIPs held,
   * ganesha, brickyard's export files) are read beside the cluster's, the Export_Id registry is
   * brought up to date, and a VIP away from home is drift, or moved home with {@code moveVips}.
   */
  public Plan plan(ClusterSpec spec, List<Issue> warnings, boolean moveVips) {
    NodeProbe probe = new NodeProbe(clients, pool, probeDeadline);
    List<DesiredSteps.NodeSteps> nodes = spec.nodes().stream().map(n -> DesiredSteps.forNode(spec, n)).toList();
    Map<StepKey, CompletableFuture<PlannedStep>> planned = new ConcurrentHashMap<>();
    List<CompletableFuture<NodeView>> viewFs = new ArrayList<>();
    for (DesiredSteps.NodeSteps ns : nodes) {
      boolean connected = clients.connected(ns.target());
      CompletableFuture<NodeView> v = probe.probeReachableAsync(ns.target());
      viewFs.add(v);
      CompletableFuture<Boolean> go = connected ? CompletableFuture.completedFuture(true) : v.thenApply(NodeView::getReachable);
      Map<StepKey, CompletableFuture<PlannedStep>> walk = new ConcurrentHashMap<>();
      for (Step s : ns.steps()) {
        CompletableFuture<PlannedStep> mine = go.thenCompose(ok -> ok ? after(s, walk, Set.of())
            : CompletableFuture.completedFuture(null));
        walk.put(s.key(), mine);
        planned.put(s.key(), v.thenCombine(mine, (view, p) -> view.getReachable() ? p
            : new PlannedStep(s, PlannedStep.State.REFUSED, null, "node " + view.getName() + " " + view.getError())));
      }
    }
    List<NodeView> views = viewFs.stream().map(CompletableFuture::join).toList();
    Set<String> down = new HashSet<>();
    views.stream().filter(v -> !v.getReachable()).forEach(v -> down.add(v.getName()));
    NodeSpec anchor = spec.nodes().stream().filter(n -> !down.contains(n.name())).findFirst().orElse(null);
    List<NodeAddress> nfsNodes = spec.nfs().map(x -> x.nodes().stream().filter(n -> !down.contains(n))
        .map(n -> DesiredSteps.address(spec.node(n).orElseThrow())).toList()).orElse(List.of());
    CompletableFuture<NfsFacts> nfsRead = NfsFacts.read(clients, pool, nfsNodes, deadline);
    ClusterFacts facts = anchor == null ? ClusterFacts.unknown() : facts(DesiredSteps.address(anchor)).join();
    NfsFacts nfsFacts = nfsRead.join();
    List<String> warnText = new ArrayList<>();
    ExportIds ids = exportIds(spec, facts, nfsFacts, warnText);
    List<Drift> drift = new ArrayList<>(Unmanaged.find(spec, facts));
    List<Issue> issues = new ArrayList<>(warnings);
    for (VolumeChange c : DesiredSteps.changes(spec, facts)) {
      issues.addAll(c.errors());
      if (c.errors().isEmpty()) {
        drift.addAll(Unmanaged.droppedBricks(c, facts.anchor()));
      }
    }
    drift.addAll(Unmanaged.nfs(spec, nfsFacts));
    List<Step> cluster = new ArrayList<>();
    if (anchor != null) {
      cluster.addAll(DesiredSteps.cluster(spec, anchor, nodes, facts, ids));
      cluster.addAll(DesiredSteps.nfs(spec, nfsFacts, ids, moveVips, new VipMover(clients, deadline, owned), drift));
    }
    for (Step s : cluster) {
      planned.put(s.key(), after(s, planned, down));
    }
    List<PlannedStep> steps = new ArrayList<>();
    for (DesiredSteps.NodeSteps ns : nodes) {
      // One refusal per unreachable node says it all; its steps cannot even be planned.
      List<Step> shown = down.contains(ns.node().name()) ? ns.steps().subList(0, 1) : ns.steps();
      shown.forEach(s -> steps.add(planned.get(s.key()).join()));
    }
    cluster.forEach(s -> steps.add(planned.get(s.key()).join()));
    warnings.forEach(w -> warnText.add(w.path() + ": " + w.message()));
    steps.stream().filter(s -> s.dryRun() != null).forEach(s -> s.dryRun().getWarningsList()
        .forEach(w -> warnText.add(s.step().node() + ": " + w)));
    Plan plan = new Plan(spec, steps, views, warnText, report(issues), drift, nfsFacts);
    try {
      onPlan.accept(plan);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Planner.class).warn("plan listener failed: {}", e.toString());
    }
    return plan;
  }

  /**
   * The Export_Id registry (the recovery volume's option, {@link ExportIds}), with the ids the
   * nodes' exports already carry adopted, and a new id for each export of the spec that has none.
   */
  static ExportIds exportIds(ClusterSpec spec, ClusterFacts facts, NfsFacts nfs, List<String> warnings) {
    if (spec.nfs().isEmpty()) {
      return ExportIds.empty();
    }
    String stored = facts.volume(spec.nfs().get().recovery().volume())
        .map(v -> v.getOptionsMap().getOrDefault(ExportIds.OPTION, "")).orElse("");
    return ExportIds.parse(stored, warnings).adopt(nfs.exportIds())
        .assign(spec.nfs().get().exports().stream().map(ExportSpec::pseudoPath).toList());
  }

  /** Plans {@code s} once the steps it needs are planned ({@code planned} holds them; {@code down}: unreachable nodes). */
  private CompletableFuture<PlannedStep> after(Step s, Map<StepKey, CompletableFuture<PlannedStep>> planned,
      Set<String> down) {
    List<CompletableFuture<PlannedStep>> needs = s.needs().stream().map(k -> {
      CompletableFuture<PlannedStep> f = planned.get(k);
      if (f == null) {
        throw new IllegalStateException(s.id() + " needs " + k.id() + ", which no step builder made");
      }
      return f;
    }).toList();
    return CompletableFuture.allOf(needs.toArray(CompletableFuture[]::new))
        .thenCompose(x -> decide(s, needs.stream().map(CompletableFuture::join).toList(), down));
  }

  /** Dry-run {@code s} if every step it needs is already true; else PENDING (or REFUSED for a dead node). */
  private CompletableFuture<PlannedStep> decide(Step s, List<PlannedStep> needs, Set<String> down) {
    for (PlannedStep n : needs) {
      if (down.contains(n.step().node())) {
        return CompletableFuture.completedFuture(new PlannedStep(s, PlannedStep.State.REFUSED, null,
            "needs node " + n.step().node() + ", which is unreachable"));
      }
    }
    for (PlannedStep n : needs) {
      if (n.state() != PlannedStep.State.CONVERGED) {
        StepKey root = n.state() == PlannedStep.State.PENDING ? n.waitsFor() : n.step().key();
        return CompletableFuture.completedFuture(new PlannedStep(s, PlannedStep.State.PENDING, null,
            "checked when applied, after " + root.id(), root));
      }
    }
    return CompletableFuture.supplyAsync(() -> dryRun(s), pool);
  }

  /**
   * The trusted pool and the volumes as {@code anchor}'s glusterd reports them, read side by side;
   * unknown when glusterd does not answer there (then its service step is not CONVERGED, and the
   * gluster steps wait for it).
   */
  private CompletableFuture<ClusterFacts> facts(NodeAddress anchor) {
    CompletableFuture<GlusterPool> p = CompletableFuture.supplyAsync(
        () -> clients.gluster(anchor, deadline).getPool(GetPoolRequest.getDefaultInstance()), pool);
    CompletableFuture<List<GlusterVolume>> v = CompletableFuture.supplyAsync(
        () -> clients.gluster(anchor, deadline).getVolumes(GetVolumesRequest.getDefaultInstance()).getVolumesList(), pool);
    return p.thenCombine(v, (gp, vols) -> gp.getGlusterdReachable()
        ? new ClusterFacts(true, anchor.name(), gp.getPeersList(), vols) : ClusterFacts.unknown())
        .exceptionally(e -> ClusterFacts.unknown());
  }

  /** Asks the agent. Refusals are REFUSED; so is any other failure (with the node's name for node steps). */
  private PlannedStep dryRun(Step s) {
    try {
      OperationResult r = s.call().run(clients, s.target(), DRY, deadline);
      return new PlannedStep(s, r.getChanged() ? PlannedStep.State.CHANGE : PlannedStep.State.CONVERGED, r, r.getSummary());
    } catch (StatusRuntimeException e) {
      Status.Code c = e.getStatus().getCode();
      String why = e.getStatus().getDescription() == null ? c.toString() : e.getStatus().getDescription();
      if (c == Status.Code.FAILED_PRECONDITION || c == Status.Code.INVALID_ARGUMENT || c == Status.Code.UNIMPLEMENTED) {
        return new PlannedStep(s, PlannedStep.State.REFUSED, null, why);
      }
      boolean cluster = s.node().equals(StepKey.CLUSTER);
      return new PlannedStep(s, PlannedStep.State.REFUSED, null, (cluster ? "" : s.node() + ": ") + NodeProbe.describe(e));
    }
  }
}
