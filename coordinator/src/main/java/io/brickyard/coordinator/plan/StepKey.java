package io.brickyard.coordinator.plan;

/**
 * What a step makes true, and where: the typed identity of a step, one record per capability.
 * Graph edges ({@link Step#needs()}, {@link Step#after()}) point at keys, so no code ever rebuilds
 * or parses an id. {@link #id()} renders the human-readable id that plans, progress lines and
 * journals show; it is one way only.
 *
 * <p>Node keys name the spec node whose agent runs the step; cluster keys ({@link #CLUSTER}) run on
 * the anchor node's agent, except a VIP move, which talks to the nodes it moves the address between.
 */
public sealed interface StepKey {
  /** The {@link #node()} of cluster-wide steps. */
  String CLUSTER = "cluster";

  /** The spec node whose agent runs the step, or {@link #CLUSTER}. */
  String node();

  /** The capability, as PlanStep.phase shows it. */
  String phase();

  /** What users see: "gluster1/storage/xfs:/dev/sdb". Display only; never parsed. */
  String id();

  /** A systemd unit running and enabled. */
  record Service(String node, String unit) implements StepKey {
    public String phase() {
      return "services";
    }

    public String id() {
      return node + "/services/" + unit;
    }
  }

  /** The spec's firewalld rich rules. */
  record Firewall(String node) implements StepKey {
    public String phase() {
      return "firewall";
    }

    public String id() {
      return node + "/firewall/allow";
    }
  }

  /** An LVM object: physical volume, volume group, thin pool or thin LV. */
  record Lvm(String node, Lvm.Kind kind, String name) implements StepKey {
    /** Which LVM object; {@code name} is a device (PV), a VG, or "vg/lv" (pool, thin LV). */
    public enum Kind { PV, VG, THINPOOL, THINLV }

    public String phase() {
      return "storage";
    }

    public String id() {
      return node + "/storage/" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }
  }

  /** An XFS filesystem on a device. */
  record Xfs(String node, String device) implements StepKey {
    public String phase() {
      return "storage";
    }

    public String id() {
      return node + "/storage/xfs:" + device;
    }
  }

  /** A mount with its fstab line. */
  record Mount(String node, String mountPoint) implements StepKey {
    public String phase() {
      return "storage";
    }

    public String id() {
      return node + "/storage/mount:" + mountPoint;
    }
  }

  /** A brick directory on a brick filesystem. */
  record BrickDirectory(String node, String path) implements StepKey {
    public String phase() {
      return "storage";
    }

    public String id() {
      return node + "/storage/brick:" + path;
    }
  }

  /** A spec node in the anchor's trusted pool. */
  record Peer(String peerNode) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "peers";
    }

    public String id() {
      return "cluster/peer:" + peerNode;
    }
  }

  /** A gluster volume with the spec's layout. */
  record Volume(String volume) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "volumes";
    }

    public String id() {
      return "cluster/volume:" + volume;
    }
  }

  /** A volume's options. */
  record VolumeOptions(String volume) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "volumes";
    }

    public String id() {
      return "cluster/options:" + volume;
    }
  }

  /** A volume started. */
  record VolumeStart(String volume) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "volumes";
    }

    public String id() {
      return "cluster/start:" + volume;
    }
  }

  /** A volume's files spread onto the sets added to it (rebalance completed). */
  record Rebalance(String volume) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "volumes";
    }

    public String id() {
      return "cluster/rebalance:" + volume;
    }
  }

  /** A volume healed after its replica count went up (every brick connected, nothing pending). */
  record Heal(String volume) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "volumes";
    }

    public String id() {
      return "cluster/heal:" + volume;
    }
  }

  /** NFS-Ganesha's main configuration on a node (core and NFSv4 parameters, the recovery root). */
  record Ganesha(String node) implements StepKey {
    public String phase() {
      return "nfs";
    }

    public String id() {
      return node + "/nfs/ganesha";
    }
  }

  /** The shared NFSv4 recovery store mounted on a node, with its takeover links. */
  record RecoveryStore(String node) implements StepKey {
    public String phase() {
      return "nfs";
    }

    public String id() {
      return node + "/nfs/recovery-store";
    }
  }

  /** One export, live in a node's ganesha. */
  record Export(String node, String pseudoPath) implements StepKey {
    public String phase() {
      return "nfs";
    }

    public String id() {
      return node + "/nfs/export:" + pseudoPath;
    }
  }

  /** An export brickyard made on a node that the spec no longer has, removed. */
  record ExportRemoval(String node, int exportId) implements StepKey {
    public String phase() {
      return "nfs";
    }

    public String id() {
      return node + "/nfs/remove-export:" + exportId;
    }
  }

  /** A virtual IP on its home node. */
  record Vip(String node, String address) implements StepKey {
    public String phase() {
      return "nfs";
    }

    public String id() {
      return node + "/nfs/vip:" + address;
    }
  }

  /** A virtual IP moved home from the node holding it (apply --move-vips). */
  record VipMove(String address) implements StepKey {
    public String node() {
      return CLUSTER;
    }

    public String phase() {
      return "nfs";
    }

    public String id() {
      return "cluster/vip-move:" + address;
    }
  }
}
