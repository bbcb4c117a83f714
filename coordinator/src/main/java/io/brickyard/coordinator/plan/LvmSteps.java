package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.ExpectedDisk;
import io.brickyard.api.agent.v1.EnsureThinPoolRequest;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.EnsureVolumeGroupRequest;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.LvmStorage;
import io.brickyard.coordinator.spec.StorageEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps of the LVM capability: PVs, then the VG on them, then its thin pool, then per thin LV
 * (each needing only the pool) the LV, its XFS, mount and brick directories.
 */
final class LvmSteps {
  private LvmSteps() {}

  static List<Step> steps(ClusterSpec spec, NodeAddress t, LvmStorage l) {
    List<Step> out = new ArrayList<>();
    String node = t.name();
    List<StepKey> pvs = new ArrayList<>();
    for (String dev : l.devices()) {
      EnsurePhysicalVolumeRequest req = EnsurePhysicalVolumeRequest.newBuilder().setDevice(dev).setWipe(l.wipe())
          .setExpectedDisk(StorageSteps.expected(l.pin(dev))).build();
      Step pv = new Step(new StepKey.Lvm(node, StepKey.Lvm.Kind.PV, dev), "lvm.pv", "LVM physical volume on " + dev, t,
          (c, a, o, d) -> c.lvm(a, d).ensurePhysicalVolume(req.toBuilder().setOptions(o).build()), l.wipe(), List.of());
      out.add(pv);
      pvs.add(pv.key());
    }
    String vg = l.volumeGroup();
    EnsureVolumeGroupRequest vgr = EnsureVolumeGroupRequest.newBuilder().setName(vg).addAllDevices(l.devices()).build();
    Step vgStep = new Step(new StepKey.Lvm(node, StepKey.Lvm.Kind.VG, vg), "lvm.vg",
        "volume group " + vg + " on " + String.join(",", l.devices()), t,
        (c, a, o, d) -> c.lvm(a, d).ensureVolumeGroup(vgr.toBuilder().setOptions(o).build()), false, pvs);
    out.add(vgStep);
    LvmStorage.ThinPool tp = l.thinPool();
    EnsureThinPoolRequest.Builder pb = EnsureThinPoolRequest.newBuilder().setVg(vg).setName(tp.name())
        .setSize(tp.size().lvmArgument()).setZero(tp.zero());
    tp.metadataSize().ifPresent(s -> pb.setMetadataSize(s.lvmArgument()));
    tp.chunkSize().ifPresent(s -> pb.setChunkSize(s.lvmArgument()));
    tp.autoextend().ifPresent(x -> pb.setAutoextendThreshold(x.threshold()).setAutoextendPercent(x.percent()));
    EnsureThinPoolRequest pr = pb.build();
    Step pool = new Step(new StepKey.Lvm(node, StepKey.Lvm.Kind.THINPOOL, vg + "/" + tp.name()), "lvm.thinpool",
        "thin pool " + vg + "/" + tp.name() + " (" + tp.size().lvmArgument() + (tp.zero() ? "" : ", --zero n") + ")", t,
        (c, a, o, d) -> c.lvm(a, d).ensureThinPool(pr.toBuilder().setOptions(o).build()), false, List.of(vgStep.key()));
    out.add(pool);
    for (LvmStorage.ThinVolume tv : l.thinVolumes()) {
      EnsureThinVolumeRequest tr = EnsureThinVolumeRequest.newBuilder().setVg(vg).setPool(tp.name()).setName(tv.name())
          .setVirtualSize(tv.virtualSize().lvmArgument()).build();
      Step lv = new Step(new StepKey.Lvm(node, StepKey.Lvm.Kind.THINLV, vg + "/" + tv.name()), "lvm.thinlv",
          "thin LV " + vg + "/" + tv.name() + " (virtual " + tv.virtualSize().lvmArgument() + ") in " + tp.name(), t,
          (c, a, o, d) -> c.lvm(a, d).ensureThinVolume(tr.toBuilder().setOptions(o).build()), false, List.of(pool.key()));
      out.add(lv);
      String dev = "/dev/" + vg + "/" + tv.name();
      Step xfs = StorageSteps.xfs(t, dev, false, l.mkfs(), ExpectedDisk.getDefaultInstance(), List.of(lv.key()));
      out.add(xfs);
      out.addAll(StorageSteps.mountAndBricks(spec, t, xfs.key(), new StorageEntry.Mount(dev, tv.mountPoint(),
          tv.fstabByUuid()), l.mountOptions()));
    }
    return out;
  }
}
