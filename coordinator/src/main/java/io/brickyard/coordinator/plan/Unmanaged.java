package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.coordinator.v1.Drift;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.spec.VipSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

/**
 * What the cluster has that the spec does not describe: volumes, peers, exports and VIPs. Brickyard reports them
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
      boolean recovery = spec.nfs().map(n -> n.recovery().volume().equals(v.getName())).orElse(false);
      if (spec.volume(v.getName()).isEmpty() && !recovery) {
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

  /**
   * What the NFS nodes have that the spec does not describe: live exports brickyard did not make
   * (an admin's: left alone; brickyard's own that the spec dropped are removed by a plan step) and
   * VIPs (addresses with brickyard's label) that are no VIP of the spec.
   */
  public static List<Drift> nfs(ClusterSpec spec, NfsFacts facts) {
    List<Drift> out = new ArrayList<>();
    for (NfsFacts.NodeNfs n : facts.nodes()) {
      Set<Integer> ours = new HashSet<>();
      n.status().getConfiguredExportsList().forEach(e -> ours.add(e.getExportId()));
      for (LiveExport e : n.facts().getGanesha().getExportsList()) {
        if (!ours.contains(e.getExportId())) {
          out.add(drift("export", e.getPseudoPath(), n.node(), "export " + e.getPseudoPath() + " (Export_Id "
              + e.getExportId() + ") is live in ganesha on " + n.node() + ", not made by brickyard"));
        }
      }
      for (HeldVip v : n.facts().getVirtualIpsList()) {
        String ip = Cidr.parse(v.getAddress()).address();
        boolean known = spec.nfs().map(x -> x.vips().stream().anyMatch(s -> s.ip().equals(ip))).orElse(false);
        if (!known) {
          out.add(drift("vip", v.getAddress(), n.node(), "virtual IP " + v.getAddress() + " is held by " + n.node()
              + " (" + v.getInterface() + "), not in the spec"));
        }
      }
    }
    return out;
  }

  /**
   * Bricks of a volume that the spec no longer lists: apply never removes a brick (its files would
   * have to move first); {@code brickyard brick remove} does, after migrating them.
   */
  static List<Drift> droppedBricks(VolumeChange c, String node) {
    List<Drift> out = new ArrayList<>();
    for (String b : c.dropped()) {
      out.add(Drift.newBuilder().setKind("brick").setName(b).setNode(node)
          .setDescription("brick " + b + " of volume " + c.volume() + " is not in the spec")
          .setAction("left alone: brickyard brick remove " + c.volume() + " " + String.join(" ", c.dropped())
              + " migrates its files away and removes it").build());
    }
    return out;
  }

  /** A spec VIP held by other nodes than its home (or by more than one). */
  static Drift vipAway(VipSpec v, List<String> holders) {
    String where = holders.size() == 1 ? "is held by " + holders.get(0) : "is held by " + holders.size()
        + " nodes (" + String.join(", ", holders) + "): two holders of one address, check the network";
    return Drift.newBuilder().setKind("vip").setName(v.ip()).setNode(String.join(",", holders))
        .setDescription("virtual IP " + v.address() + " " + where + ", its home is " + v.home())
        .setAction("left there: apply --move-vips moves it home (its clients pause and reclaim)").build();
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
