package io.brickyard.agent.lvm;

import io.brickyard.agent.lvm.LvmJson.Lv;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.ExtendLogicalVolumeRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveLogicalVolumeRequest;
import io.brickyard.common.exec.Command;
import io.brickyard.common.storage.Sizes;
import java.util.List;

/** Growing and removing LVs: the two operations that can hurt, so each refuses loudly. */
final class LvOps {

  /** Grows to the requested total size; a request at or below the current size changes nothing. */
  OperationResult extend(Operation op, ExtendLogicalVolumeRequest req) {
    String vg = Names.lvmName(req.getVg(), "vg");
    String name = Names.lvmName(req.getName(), "name");
    SizeSpec.Absolute size = SizeSpec.parseAbsolute(req.getSize(), "size");
    LvmState state = LvmState.read(op, LvmState.Need.VGS, LvmState.Need.LVS);
    Lv lv = state.lv(vg, name).orElseThrow(() -> new RefusedException("LV " + vg + "/" + name + " does not exist"));
    long extent = state.vg(vg).map(LvmJson.Vg::extentSize).orElse(0L);
    long wanted = Sizes.roundUp(size.bytes(), extent);
    if (wanted <= lv.size()) {
      if (wanted < lv.size()) {
        op.warn("LV " + lv.fullName() + " is " + Sizes.human(lv.size()) + ", larger than the requested "
            + req.getSize() + "; LVs are never shrunk");
      }
      return op.unchanged("LV " + lv.fullName() + " already " + Sizes.human(lv.size()));
    }
    op.change(Command.of("lvextend", "-L", size.lvmArg(), lv.fullName()));
    if (lv.thinVolume() && !op.dryRun()) {
      LvmState after = LvmState.read(op, LvmState.Need.VGS, LvmState.Need.LVS);
      after.lv(vg, lv.pool()).ifPresent(pool -> OverProvisioning.warnings(pool,
          after.thinVolumesOf(vg, pool.name()), after.vg(vg).orElse(null)).forEach(op::warn));
    }
    return op.done("extended LV " + lv.fullName() + " from " + Sizes.human(lv.size()) + " to " + Sizes.human(wanted)
        + (lv.thinVolume() ? " (the filesystem on it is not grown here)" : ""));
  }

  /**
   * Removes a thin volume, snapshot or (empty) pool, and only one Brickyard created (tagged
   * {@value LvmJson#OWNER_TAG} at lvcreate): "not open" alone would let a request delete any
   * unmounted LV of the node, an admin's scratch LV or a VM disk. "Not found" is success with changed=false, so
   * a teardown interrupted half-way can simply be run again (heketi's resumable deletes).
   */
  OperationResult remove(Operation op, RemoveLogicalVolumeRequest req) {
    String vg = Names.lvmName(req.getVg(), "vg");
    String name = Names.lvmName(req.getName(), "name");
    LvmState state = LvmState.read(op, LvmState.Need.LVS);
    Lv lv = state.lv(vg, name).orElse(null);
    if (lv == null) {
      return op.unchanged("LV " + vg + "/" + name + " not found (already removed)");
    }
    if (!lv.ownedByBrickyard()) {
      throw new RefusedException("LV " + lv.fullName() + " has no '" + LvmJson.OWNER_TAG + "' tag (tags: "
          + (lv.tags().isEmpty() ? "none" : String.join(",", lv.tags())) + "): brickyard removes only the LVs it"
          + " created and tagged; if this one is brickyard's, tag it (lvchange --addtag " + LvmJson.OWNER_TAG + " "
          + lv.fullName() + ") and retry");
    }
    if (lv.thinPool()) {
      List<String> thins = state.thinVolumesOf(vg, name).stream().map(Lv::name).toList();
      if (!thins.isEmpty()) {
        throw new RefusedException("thin pool " + lv.fullName() + " still holds thin volumes " + thins
            + "; remove them first");
      }
    }
    if (lv.open()) {
      throw new RefusedException("LV " + lv.fullName() + " is open (mounted or in use, lv_attr " + lv.attr()
          + "); unmount it first");
    }
    // -y answers LVM's "really remove active LV?" prompt: the safety checks were just made above.
    op.change(Command.of("lvremove", "-y", lv.fullName()));
    return op.done("removed LV " + lv.fullName() + " (" + Sizes.human(lv.size()) + ")");
  }
}
