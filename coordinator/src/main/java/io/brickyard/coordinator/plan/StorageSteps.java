package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.ExpectedDisk;
import io.brickyard.coordinator.spec.DiskPin;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.MkfsOptions;
import io.brickyard.coordinator.spec.StorageEntry;
import io.brickyard.coordinator.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Steps of the storage capability: XFS on a device, its mount and fstab line, brick directories. */
final class StorageSteps {
  private StorageSteps() {}

  /** XFS on {@code device}; {@code needs}: what makes the device (a thin LV), or nothing for a disk. */
  /**
   * {@code disk}: the identity the spec pins the device to (the agent refuses the step when the
   * path names another disk); the default instance when it pins none.
   */
  /** The spec's pin of a disk, as the agent checks it before any device step. */
  static ExpectedDisk expected(DiskPin pin) {
    return ExpectedDisk.newBuilder().setWwn(pin.wwn()).setSerial(pin.serial()).build();
  }

  static Step xfs(NodeAddress t, String device, boolean wipe, MkfsOptions m, ExpectedDisk disk, List<StepKey> needs) {
    EnsureXfsRequest.Builder b = EnsureXfsRequest.newBuilder().setDevice(device).setWipe(wipe).setExpectedDisk(disk)
        .setInodeSize(m.inodeSize()).setNamingSize(m.namingSize()).setLabel("");
    m.raid().ifPresent(r -> b.setStripeUnit(r.stripeUnit().bytes() / 1024 + "k").setStripeWidth(r.stripeWidth()));
    EnsureXfsRequest req = b.build();
    return new Step(new StepKey.Xfs(t.name(), device), "xfs.ensure",
        "XFS on " + device + " (-i size=" + m.inodeSize() + " -n size=" + m.namingSize() + ")", t,
        (c, a, o, d) -> c.storage(a, d).ensureXfs(req.toBuilder().setOptions(o).build()), wipe, needs);
  }

  /**
   * The mount (needing the filesystem {@code xfs}), then its brick directories: every brick
   * filesystem gets {@code <mountPoint>/brick}, the directory the recipe, heketi and gluster-ansible
   * all use as the brick, so a storage-only spec prepares ready-to-use bricks; plus any other brick
   * path a volume names under this mount on this node.
   */
  static List<Step> mountAndBricks(ClusterSpec spec, NodeAddress t, StepKey xfs, StorageEntry.Mount m,
      List<String> options) {
    List<Step> out = new ArrayList<>();
    EnsureMountRequest req = EnsureMountRequest.newBuilder().setDevice(m.device()).setMountPoint(m.mountPoint())
        .setFsType("xfs").addAllMountOptions(options).setFstabByUuid(m.fstabByUuid()).build();
    Step mount = new Step(new StepKey.Mount(t.name(), m.mountPoint()), "mount.ensure",
        m.device() + " mounted at " + m.mountPoint() + " with an fstab line (" + String.join(",", options) + ")", t,
        (c, a, o, d) -> c.storage(a, d).ensureMount(req.toBuilder().setOptions(o).build()), false, List.of(xfs));
    out.add(mount);
    Map<String, String> dirs = new LinkedHashMap<>();
    dirs.put(m.mountPoint() + "/brick", "brick directory " + m.mountPoint() + "/brick");
    for (VolumeSpec v : spec.volumes()) {
      for (Brick b : v.bricks()) {
        boolean mine = spec.nodeForBrickHost(b.host()).map(x -> x.name().equals(t.name())).orElse(false);
        if (mine && b.path().startsWith(m.mountPoint() + "/")) {
          dirs.put(b.path(), "brick directory " + b.path() + " for volume " + v.name());
        }
      }
    }
    dirs.forEach((path, what) -> {
      EnsureBrickDirectoryRequest br = EnsureBrickDirectoryRequest.newBuilder().setPath(path).build();
      out.add(new Step(new StepKey.BrickDirectory(t.name(), path), "brick.ensure", what, t,
          (c, a, o, d) -> c.storage(a, d).ensureBrickDirectory(br.toBuilder().setOptions(o).build()), false,
          List.of(mount.key())));
    });
    return out;
  }

  /**
   * A brick directory on the root filesystem, allowed explicitly: only for the NFS recovery volume,
   * a few KiB of client records that need no brick filesystem of their own (as gluster_shared_storage).
   */
  static Step rootBrickDirectory(NodeAddress t, String path, String what) {
    EnsureBrickDirectoryRequest br = EnsureBrickDirectoryRequest.newBuilder().setPath(path).setAllowRootFilesystem(true)
        .build();
    return new Step(new StepKey.BrickDirectory(t.name(), path), "brick.ensure", what + " (root filesystem)", t,
        (c, a, o, d) -> c.storage(a, d).ensureBrickDirectory(br.toBuilder().setOptions(o).build()), false, List.of());
  }
}
