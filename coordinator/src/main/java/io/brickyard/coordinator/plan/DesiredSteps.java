package io.brickyard.coordinator.plan;

import io.brickyard.coordinator.nodes.NodeAddress;
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
    spec.firewall().ifPresent(fw -> {
      Step firewalld = ServiceSteps.ensure(t, "firewalld");
      steps.add(firewalld);
      steps.add(FirewallSteps.allow(t, fw, firewalld.key()));
    });
    steps.add(ServiceSteps.ensure(t, "glusterd"));
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
    for (VolumeSpec v : spec.volumes()) {
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
      out.add(GlusterSteps.volume(spec, v, t, facts.volume(v.name()).isPresent(), List.copyOf(needs), probes));
      if (!v.options().isEmpty()) {
        out.add(GlusterSteps.options(v, t));
      }
      out.add(GlusterSteps.start(v, t));
    }
    return out;
  }
}
