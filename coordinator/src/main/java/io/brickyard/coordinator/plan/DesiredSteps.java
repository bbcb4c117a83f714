package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.coordinator.v1.Drift;
import io.brickyard.coordinator.nfs.ExportIds;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.brickyard.coordinator.vip.OwnedVips;
import io.brickyard.coordinator.vip.VipMover;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.LvmStorage;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.StorageEntry;
import io.brickyard.coordinator.spec.VolumeSpec;
import io.brickyard.coordinator.spec.XfsDevice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a validated spec into the plan's graph of steps, using one step builder per
 * capability (services, firewall, storage, LVM, gluster); each builder gives its steps their
 * inputs ({@link Step#needs()}). Here the graph gets its order-only edges: a node's steps run one
 * at a time, in this order (services and firewall first, then storage); and the cluster's steps
 * are wired to the node steps they need.
 */
public final class DesiredSteps {
  private DesiredSteps() {}

  /** A node's steps, in the order they run. */
  public record NodeSteps(NodeSpec node, NodeAddress target, List<Step> steps) {}

  public static NodeAddress address(NodeSpec n) {
    return new NodeAddress(n.name(), n.address().host(), n.address().port());
  }

  public static NodeSteps forNode(ClusterSpec spec, NodeSpec n) {
    NodeAddress t = address(n);
    List<Step> steps = new ArrayList<>();
    Optional<NfsSpec> nfs = spec.nfs().filter(x -> x.serves(n.name()));
    spec.firewall().ifPresent(fw -> {
      Step firewalld = ServiceSteps.ensure(t, "firewalld");
      steps.add(firewalld);
      steps.add(FirewallSteps.allow(t, fw, nfs.map(FirewallSteps::nfsGroups).orElse(List.of()), firewalld.key()));
    });
    steps.add(ServiceSteps.ensure(t, "glusterd"));
    nfs.ifPresent(x -> {
      // ganesha's RPC and D-Bus dependencies; the recovery volume's brick on the root filesystem
      steps.add(ServiceSteps.ensure(t, "rpcbind"));
      steps.add(ServiceSteps.ensure(t, "dbus"));
      if (NfsSteps.recoveryBrickNodes(x).contains(n.name())) {
        steps.add(StorageSteps.rootBrickDirectory(t, x.recovery().brickDirectory().toString(),
            "brick of the NFS recovery volume " + x.recovery().volume()));
      }
    });
    for (StorageEntry e : spec.storageFor(n.name())) {
      if (e instanceof XfsDevice x) {
        Step xfs = StorageSteps.xfs(t, x.device(), x.wipe(), x.mkfs(), StorageSteps.expected(x.pin(x.device())), List.of());
        steps.add(xfs);
        steps.addAll(StorageSteps.mountAndBricks(spec, t, xfs.key(), e.mounts().get(0), e.mountOptions()));
      } else if (e instanceof LvmStorage l) {
        steps.addAll(LvmSteps.steps(spec, t, l));
      }
    }
    // One step at a time per node: each runs after the previous one (the agent's node lock would
    // serialise them anyway; this keeps them in the plan's order).
    for (int i = 1; i < steps.size(); i++) {
      steps.set(i, steps.get(i).runAfter(List.of(steps.get(i - 1).key())));
    }
    return new NodeSteps(n, t, List.copyOf(steps));
  }

  /**
   * The cluster-wide steps, asked of {@code anchor}'s agent: a peer probe of every other node
   * (needing glusterd and the firewall rules on both ends; after every node's services and firewall), then per volume create (needing the
   * brick directories of its bricks and the probes of their nodes; after every probe), options
   * and start. {@code nodes}: every node's steps, to wire to; {@code facts}: the pool and volumes
   * as they are now (a volume that exists needs no node step to be planned).
   */
  public static List<Step> cluster(ClusterSpec spec, NodeSpec anchor, List<NodeSteps> nodes, ClusterFacts facts) {
    return cluster(spec, anchor, nodes, facts, ExportIds.empty());
  }

  /** As above; with an NFS service, also the recovery volume, holding the Export_Id registry {@code exportIds}. */
  public static List<Step> cluster(ClusterSpec spec, NodeSpec anchor, List<NodeSteps> nodes, ClusterFacts facts,
      ExportIds exportIds) {
    NodeAddress t = address(anchor);
    Set<StepKey> nodeKeys = new LinkedHashSet<>();
    nodes.forEach(ns -> ns.steps().forEach(s -> nodeKeys.add(s.key())));
    List<Step> out = new ArrayList<>();
    List<StepKey> probes = new ArrayList<>();
    // Probes start once every node runs glusterd behind its firewall rules (order only: a probe's
    // own answer depends on its two ends), so that a new peer reaches every other one at once.
    List<StepKey> prepared = nodeKeys.stream()
        .filter(k -> k instanceof StepKey.Service || k instanceof StepKey.Firewall).toList();
    for (NodeSpec n : spec.nodes()) {
      if (n.name().equals(anchor.name())) {
        continue;
      }
      List<StepKey> needs = new ArrayList<>();
      for (String end : List.of(anchor.name(), n.name())) {
        needs.add(new StepKey.Service(end, "glusterd"));
        StepKey fw = new StepKey.Firewall(end);
        if (nodeKeys.contains(fw)) {
          needs.add(fw);
        }
      }
      Step probe = GlusterSteps.probe(t, n, needs).runAfter(prepared);
      out.add(probe);
      probes.add(probe.key());
    }
    List<VolumeSpec> volumes = new ArrayList<>(spec.volumes());
    spec.nfs().ifPresent(x -> volumes.add(NfsSteps.recoveryVolume(x, exportIds, OwnedVips.on(spec))));
    for (VolumeSpec v : volumes) {
      Set<StepKey> needs = new LinkedHashSet<>();
      for (Brick b : v.bricks()) {
        String node = spec.nodeForBrickHost(b.host()).map(NodeSpec::name).orElse(null);
        if (node == null) {
          continue; // the spec validator rejects a brick on no node
        }
        StepKey dir = new StepKey.BrickDirectory(node, b.path());
        if (nodeKeys.contains(dir)) {
          needs.add(dir);
        }
        needs.add(node.equals(anchor.name()) ? new StepKey.Service(node, "glusterd") : new StepKey.Peer(node));
      }
      Optional<GlusterVolume> have = spec.volumes().contains(v) ? facts.volume(v.name()) : Optional.empty();
      VolumeChange change = have.map(h -> VolumeChange.of(spec, v, "", h)).orElse(null);
      if (change != null && change.errors().isEmpty() && (change.grows() || !change.dropped().isEmpty())) {
        // the add-brick needs only the new bricks' directories and peers; with dropped bricks
        // (drift) it asks for the volume's own list: nothing to add, and nothing removed
        List<String> newBricks = change.added();
        List<StepKey> addNeeds = needs.stream().filter(k -> !(k instanceof StepKey.BrickDirectory d)
            || newBricks.stream().anyMatch(b -> b.endsWith(":" + d.path()))).toList();
        VolumeChange asked = change.grows() ? change : new VolumeChange(v.name(), have.get().getBricksList().stream()
            .map(io.brickyard.api.agent.v1.GlusterBrick::getName).toList(), List.of(), change.dropped(), false, List.of());
        out.add(GlusterSteps.addBricks(v, asked, t, change.grows() ? addNeeds : List.of(), probes));
      } else {
        out.add(GlusterSteps.volume(spec, v, t, have.isPresent(), List.copyOf(needs), probes));
      }
      if (!v.options().isEmpty()) {
        out.add(GlusterSteps.options(v, t));
      }
      out.add(GlusterSteps.start(v, t));
      String marker = have.map(h -> h.getOptionsMap().getOrDefault(REBALANCE_MARKER, "")).orElse("");
      if (change != null && change.grows() && !change.newSets()) {
        out.add(GlusterSteps.heal(v, t));
      }
      if (change != null && change.grows() && change.newSets()) {
        out.add(GlusterSteps.rebalance(v, t, "its files spread onto the new set(s)"));
      } else if (marker.equals("pending") || marker.equals("started")) {
        out.add(GlusterSteps.rebalance(v, t, "owed since bricks were added: the volume's " + REBALANCE_MARKER
            + " is " + marker));
      }
    }
    return out;
  }

  /** The volume option the agent writes when it adds sets (pending, started, done): a rebalance is owed. */
  public static final String REBALANCE_MARKER = "user.brickyard.rebalance";

  /**
   * Each spec volume that exists, judged against it ({@link VolumeChange}): errors for shapes
   * gluster cannot reach (the plan's validation, before anything runs), drift for dropped bricks.
   */
  public static List<VolumeChange> changes(ClusterSpec spec, ClusterFacts facts) {
    List<VolumeChange> out = new ArrayList<>();
    for (int i = 0; i < spec.volumes().size(); i++) {
      VolumeSpec v = spec.volumes().get(i);
      int at = i;
      facts.volume(v.name()).ifPresent(h -> out.add(VolumeChange.of(spec, v, "volumes[" + at + "]", h)));
    }
    return out;
  }

  /**
   * The NFS service's steps (after the cluster's: they need volumes started): per NFS node the
   * recovery store, ganesha's configuration and service, the exports (and the removal of exports
   * brickyard made that the spec dropped), each VIP on its home node when nobody else holds it.
   * A VIP held elsewhere is drift ({@code drift}), or, with {@code moveVips}, moved home.
   */
  public static List<Step> nfs(ClusterSpec spec, NfsFacts facts, ExportIds ids, boolean moveVips, VipMover mover,
      List<Drift> drift) {
    List<Step> out = new ArrayList<>();
    NfsSpec nfs = spec.nfs().orElse(null);
    if (nfs == null) {
      return out;
    }
    for (String name : nfs.nodes()) {
      NodeAddress t = address(spec.node(name).orElseThrow());
      out.add(NfsSteps.recoveryStore(nfs, t, facts));
      out.add(NfsSteps.ganeshaConfig(nfs, t));
      List<StepKey> exports = new ArrayList<>();
      for (ExportSpec e : nfs.exports()) {
        Step export = NfsSteps.export(e, ids.id(e.pseudoPath()).orElseThrow(), t, nfs.recovery().volume());
        out.add(export);
        exports.add(export.key());
      }
      facts.node(name).ifPresent(n -> n.status().getConfiguredExportsList().stream()
          .filter(c -> nfs.export(c.getPseudoPath()).isEmpty())
          .forEach(c -> out.add(NfsSteps.removeExport(c.getExportId(), c.getPseudoPath(), t))));
      out.add(NfsSteps.ganeshaService(t, exports));
    }
    for (VipSpec v : nfs.vips()) {
      NodeAddress home = address(spec.node(v.home()).orElseThrow());
      List<StepKey> serving = nfs.exports().stream().<StepKey>map(e -> new StepKey.Export(v.home(), e.pseudoPath()))
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
      List<String> holders = facts.holders(v.ip());
      if (holders.isEmpty() || holders.equals(List.of(v.home()))) {
        out.add(OwnedVips.on(spec) ? NfsSteps.vipAtHomeOwned(v, home, serving) : NfsSteps.vipAtHome(v, home, serving));
        continue;
      }
      if (moveVips) {
        serving.add(new StepKey.RecoveryStore(v.home()));
        out.add(NfsSteps.moveHome(spec, v, home, holders.stream().filter(h -> !h.equals(v.home())).toList(), serving,
            mover));
      } else {
        drift.add(Unmanaged.vipAway(v, holders));
      }
    }
    return out;
  }
}
