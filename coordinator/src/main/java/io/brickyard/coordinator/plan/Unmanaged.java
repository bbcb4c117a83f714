package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.coordinator.v1.Drift;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster has that the spec does not describe: volumes and peers. Brickyard reports them
 * and never deletes them (a spec that forgot a volume must not cost its data), so the action is
 * always "left alone".
 */
public final class Unmanaged {
  static final String LEFT_ALONE = "left alone";

  private Unmanaged() {}

  public static List<Drift> find(ClusterSpec spec, ClusterFacts facts) {
    List<Drift> out = new ArrayList<>();
    if (!facts.known()) {
      return out;
    }
    for (GlusterVolume v : facts.volumes()) {
      if (spec.volume(v.getName()).isEmpty()) {
        out.add(drift("volume", v.getName(), facts.anchor(), "volume " + v.getName() + " exists ("
            + v.getType() + ", " + v.getBrickCount() + " bricks, " + v.getStatus() + "), not in the spec"));
      }
    }
    for (GlusterPeer p : facts.peers()) {
      if (!p.getSelf() && spec.nodes().stream().noneMatch(n -> names(p, n))) {
        out.add(drift("peer", p.getHostname(), facts.anchor(), "peer " + p.getHostname()
            + " is in the trusted pool, not in the spec"));
      }
    }
    return out;
  }

  private static Drift drift(String kind, String name, String node, String description) {
    return Drift.newBuilder().setKind(kind).setName(name).setNode(node).setDescription(description)
        .setAction(LEFT_ALONE).build();
  }

  /** Whether glusterd knows spec node {@code n} as peer {@code p} (by its gluster address or name). */
  private static boolean names(GlusterPeer p, NodeSpec n) {
    return List.of(n.glusterAddress(), n.name()).stream().anyMatch(h -> p.getHostname().equalsIgnoreCase(h)
        || p.getHostnamesList().stream().anyMatch(h::equalsIgnoreCase));
  }
}
