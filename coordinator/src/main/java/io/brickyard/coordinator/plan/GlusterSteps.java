package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.AddBricksRequest;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.SetVolumeOptionsRequest;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps of the gluster capability, all asked of the anchor's agent: a peer probe per other node,
 * and per volume create, options, start.
 */
final class GlusterSteps {
  private GlusterSteps() {}

  /** Probe {@code n} from the anchor; {@code needs}: glusterd running behind the firewall on both ends. */
  static Step probe(NodeAddress anchor, NodeSpec n, List<StepKey> needs) {
    ProbePeerRequest req = ProbePeerRequest.newBuilder().setHostname(n.glusterAddress()).build();
    return new Step(new StepKey.Peer(n.name()), "gluster.peer.probe",
        "peer probe " + n.glusterAddress() + " from " + anchor.name(), anchor,
        (c, a, o, d) -> c.gluster(a, d).probePeer(req.toBuilder().setOptions(o).build()), false, needs);
  }

  /**
   * Create the volume. {@code needs}: its bricks' directories and peers. A volume that already
   * exists needs nothing: its layout does not depend on any node step, so its dry run (which
   * refuses a different layout: brickyard never reshapes a volume) is asked even while node steps
   * are pending, and a reshape is refused in the plan, before anything runs.
   */
  static Step volume(ClusterSpec spec, VolumeSpec v, NodeAddress anchor, boolean exists, List<StepKey> needs,
      List<StepKey> after) {
    EnsureVolumeRequest.Builder b = EnsureVolumeRequest.newBuilder().setName(v.name()).setType(v.type().yamlName())
        .setReplica(v.replica()).setArbiter(v.arbiter()).setDisperse(v.disperse()).setRedundancy(v.redundancy())
        .setTransport(v.transport()).setForce(v.allowSameNodeReplicas());
    for (Brick br : v.bricks()) {
      String host = spec.nodeForBrickHost(br.host()).map(NodeSpec::glusterAddress).orElse(br.host());
      b.addBricks(host + ":" + br.path());
    }
    EnsureVolumeRequest req = b.build();
    List<StepKey> order = new ArrayList<>(after);
    if (exists) {
      order.addAll(needs);
    }
    return new Step(new StepKey.Volume(v.name()), "gluster.volume.create",
        "volume " + v.name() + " (" + v.type().yamlName() + ", " + v.bricks().size() + " bricks)", anchor,
        (c, a, o, d) -> c.gluster(a, d).ensureVolume(req.toBuilder().setOptions(o).build()), false,
        exists ? List.of() : needs).runAfter(order);
  }

  /**
   * Grow an existing volume to the spec's bricks ({@link VolumeChange}): the same key as the create
   * it stands in for, so options, start and the NFS steps wire to it alike. {@code needs}: the new
   * bricks' directories and peers.
   */
  static Step addBricks(VolumeSpec v, VolumeChange change, NodeAddress anchor, List<StepKey> needs, List<StepKey> after) {
    AddBricksRequest req = AddBricksRequest.newBuilder().setVolume(v.name()).addAllBricks(change.wanted())
        .setReplica(v.replica()).setArbiter(v.arbiter()).setForce(v.allowSameNodeReplicas()).build();
    String why = change.newSets() ? "add " + change.added().size() + " brick(s) as new set(s): the spec lists "
        + change.wanted().size() + " bricks, the volume has " + (change.wanted().size() - change.added().size())
        : "raise the replica count to " + v.replica() + " with " + change.added().size() + " new brick(s)";
    return new Step(new StepKey.Volume(v.name()), "gluster.volume.add-brick", "volume " + v.name() + ": " + why, anchor,
        (c, a, o, d) -> c.gluster(a, d).addBricks(req.toBuilder().setOptions(o).build()), false, needs).runAfter(after);
  }

  /**
   * The rebalance bricks added as new sets need: started (needs the add-brick; after the volume's
   * start), then waited for with its progress per node. It is planned when the spec adds sets, or
   * when the volume says one is still owed (its marker: an earlier apply stopped half-way).
   */
  static Step rebalance(VolumeSpec v, NodeAddress anchor, String why) {
    return new Step(new StepKey.Rebalance(v.name()), "gluster.volume.rebalance", "volume " + v.name()
        + " rebalanced (" + why + ")", anchor, new RebalanceCall(v.name()), false,
        List.of(new StepKey.Volume(v.name())), List.of(new StepKey.VolumeStart(v.name())));
  }

  /** After a replica count went up: the heal onto the new bricks, waited for with progress (needs the add-brick). */
  static Step heal(VolumeSpec v, NodeAddress anchor) {
    return new Step(new StepKey.Heal(v.name()), "gluster.volume.heal", "volume " + v.name()
        + " healed onto its new bricks (replica " + v.replica() + ")", anchor, new HealCall(v.name()), false,
        List.of(new StepKey.Volume(v.name())), List.of(new StepKey.VolumeStart(v.name())));
  }

  static Step options(VolumeSpec v, NodeAddress anchor) {
    SetVolumeOptionsRequest so = SetVolumeOptionsRequest.newBuilder().setVolume(v.name()).putAllValues(v.options()).build();
    return new Step(new StepKey.VolumeOptions(v.name()), "gluster.volume.set", "volume " + v.name() + " options "
        + v.options(), anchor, (c, a, o, d) -> c.gluster(a, d).setVolumeOptions(so.toBuilder().setOptions(o).build()),
        false, List.of(new StepKey.Volume(v.name())));
  }

  /** Start the volume: needs it created; runs after its options are set (none of them waits for a start). */
  static Step start(VolumeSpec v, NodeAddress anchor) {
    StartVolumeRequest st = StartVolumeRequest.newBuilder().setVolume(v.name()).build();
    return new Step(new StepKey.VolumeStart(v.name()), "gluster.volume.start", "volume " + v.name() + " started", anchor,
        (c, a, o, d) -> c.gluster(a, d).startVolume(st.toBuilder().setOptions(o).build()), false,
        List.of(new StepKey.Volume(v.name())),
        v.options().isEmpty() ? List.of() : List.of(new StepKey.VolumeOptions(v.name())));
  }
}
