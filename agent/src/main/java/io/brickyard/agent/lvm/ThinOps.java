package io.brickyard.agent.lvm;

import io.brickyard.agent.lvm.LvmJson.Lv;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureThinPoolRequest;
import io.brickyard.api.agent.v1.EnsureThinSnapshotRequest;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.Command;
import io.brickyard.common.storage.Sizes;
import java.util.ArrayList;
import java.util.List;

/** Thin pools, thin volumes and thin snapshots: the LVM layer under every Gluster brick. */
final class ThinOps {
  private final AutoextendProfile profiles;

  ThinOps(AutoextendProfile profiles) {
    this.profiles = profiles;
  }

  OperationResult ensurePool(Operation op, EnsureThinPoolRequest req) {
    String vg = Names.lvmName(req.getVg(), "vg");
    String name = Names.lvmName(req.getName(), "name");
    SizeSpec size = SizeSpec.parse(req.getSize(), "size");
    SizeSpec.Absolute meta = SizeSpec.optional(req.getMetadataSize(), "metadata_size");
    SizeSpec.Absolute chunk = SizeSpec.optional(req.getChunkSize(), "chunk_size");
    AutoextendProfile.validate(req.getAutoextendThreshold(), req.getAutoextendPercent());
    LvmState state = LvmState.read(op, LvmState.Need.VGS, LvmState.Need.LVS);
    if (state.vg(vg).isEmpty()) {
      throw new RefusedException("VG " + vg + " does not exist; call EnsureVolumeGroup first");
    }
    Lv pool = state.lv(vg, name).orElse(null);
    String summary;
    if (pool == null) {
      List<String> argv = new ArrayList<>(List.of("lvcreate", "--type", "thin-pool"));
      if (size instanceof SizeSpec.Absolute a) {
        argv.addAll(List.of("-L", a.lvmArg()));
      } else {
        argv.addAll(List.of("-l", ((SizeSpec.Percent) size).lvmArg()));
      }
      if (meta != null) {
        argv.addAll(List.of("--poolmetadatasize", meta.lvmArg()));
      }
      if (chunk != null) {
        argv.addAll(List.of("--chunksize", chunk.lvmArg()));
      }
      argv.addAll(List.of("--zero", req.getZero() ? "y" : "n", "--addtag", LvmJson.OWNER_TAG, "-n", name, vg));
      op.change(Command.of(argv));
      summary = "created thin pool " + vg + "/" + name + " (" + req.getSize() + ")";
    } else {
      if (!pool.thinPool()) {
        throw new RefusedException(vg + "/" + name + " exists but is not a thin pool (lv_attr " + pool.attr() + ")");
      }
      if (size instanceof SizeSpec.Absolute a && a.bytes() > pool.size()) {
        op.warn("thin pool " + pool.fullName() + " is " + Sizes.human(pool.size()) + ", smaller than the requested "
            + req.getSize() + "; pools are not grown implicitly, use ExtendLogicalVolume");
      }
      if (chunk != null && pool.chunkSize() != chunk.bytes()) {
        op.warn("thin pool " + pool.fullName() + " has chunk size " + Sizes.compact(pool.chunkSize())
            + ", not " + chunk.lvmArg() + "; chunk size cannot change after creation");
      }
      if (pool.zero() != req.getZero()) {
        op.change(Command.of("lvchange", "--zero", req.getZero() ? "y" : "n", pool.fullName()));
      }
      summary = op.changed() ? "thin pool " + pool.fullName() + ": zeroing set to " + req.getZero()
          : "thin pool " + pool.fullName() + " already present";
    }
    if (req.getAutoextendThreshold() > 0) {
      String profile = profiles.ensure(op, req.getAutoextendThreshold(), req.getAutoextendPercent());
      if (pool == null || !profile.equals(pool.profile())) {
        op.change(Command.of("lvchange", "--metadataprofile", profile, vg + "/" + name));
        summary += "; autoextend " + req.getAutoextendThreshold() + "%/+" + req.getAutoextendPercent()
            + "% via profile " + profile;
      }
    }
    return op.done(summary);
  }

  OperationResult ensureVolume(Operation op, EnsureThinVolumeRequest req) {
    String vg = Names.lvmName(req.getVg(), "vg");
    String poolName = Names.lvmName(req.getPool(), "pool");
    String name = Names.lvmName(req.getName(), "name");
    SizeSpec.Absolute size = SizeSpec.parseAbsolute(req.getVirtualSize(), "virtual_size");
    LvmState state = LvmState.read(op, LvmState.Need.VGS, LvmState.Need.LVS);
    Lv pool = thinPool(state, vg, poolName);
    Lv lv = state.lv(vg, name).orElse(null);
    long extent = state.vg(vg).map(LvmJson.Vg::extentSize).orElse(0L);
    long wanted = Sizes.roundUp(size.bytes(), extent);
    if (lv != null) {
      if (!lv.thinVolume() || !lv.pool().equals(poolName)) {
        throw new RefusedException(lv.fullName() + " exists but is not a thin volume of pool " + poolName
            + " (lv_attr " + lv.attr() + ", pool \"" + lv.pool() + "\")");
      }
      if (lv.size() != wanted) {
        throw new RefusedException("thin volume " + lv.fullName() + " exists with size " + Sizes.human(lv.size())
            + " (" + lv.size() + " bytes), requested " + req.getVirtualSize() + " (" + wanted
            + " bytes); sizes are never changed by Ensure, use ExtendLogicalVolume to grow it");
      }
      warnPool(op, state, pool, List.of());
      return op.unchanged("thin volume " + lv.fullName() + " already present (" + Sizes.human(lv.size()) + ")");
    }
    op.change(Command.of("lvcreate", "--thin", "--virtualsize", size.lvmArg(), "--addtag", LvmJson.OWNER_TAG,
        "-n", name, vg + "/" + poolName));
    Lv planned = new Lv(vg, name, "Vwi-a-tz--", wanted, poolName, "", 0, -1, "", "", 0, 0, "", false,
        List.of(LvmJson.OWNER_TAG));
    reread(op, state, pool, planned);
    return op.done("created thin volume " + vg + "/" + name + " (" + Sizes.human(wanted) + ") in pool " + pool.fullName());
  }

  OperationResult ensureSnapshot(Operation op, EnsureThinSnapshotRequest req) {
    String vg = Names.lvmName(req.getVg(), "vg");
    String originName = Names.lvmName(req.getOrigin(), "origin");
    String name = Names.lvmName(req.getName(), "name");
    LvmState state = LvmState.read(op, LvmState.Need.VGS, LvmState.Need.LVS);
    Lv origin = state.lv(vg, originName).orElseThrow(
        () -> new RefusedException("origin " + vg + "/" + originName + " does not exist"));
    if (!origin.thinVolume()) {
      throw new RefusedException("origin " + origin.fullName() + " is not a thin volume (lv_attr " + origin.attr()
          + "); only thin snapshots are supported");
    }
    Lv pool = thinPool(state, vg, origin.pool());
    Lv snap = state.lv(vg, name).orElse(null);
    if (snap != null) {
      if (!snap.thinVolume() || !snap.origin().equals(originName)) {
        throw new RefusedException(snap.fullName() + " exists but is not a thin snapshot of " + originName
            + " (lv_attr " + snap.attr() + ", origin \"" + snap.origin() + "\")");
      }
      if (snap.activationSkip()) {
        op.change(Command.of("lvchange", "--setactivationskip", "n", snap.fullName()));
      }
      if (!snap.active()) {
        op.change(Command.of("lvchange", "-ay", "-K", snap.fullName()));
      }
      warnPool(op, state, pool, List.of());
      return op.changed() ? op.done("thin snapshot " + snap.fullName() + " made activatable and active")
          : op.unchanged("thin snapshot " + snap.fullName() + " of " + originName + " already present");
    }
    // Thin snapshots are created with the activation-skip flag; clear it at creation (as glusterd2
    // does) so that the snapshot is active now and after a reboot, ready to mount.
    op.change(Command.of("lvcreate", "-s", "--setactivationskip", "n", "--addtag", LvmJson.OWNER_TAG,
        "--name", name, origin.fullName()));
    Lv planned = new Lv(vg, name, "Vwi-a-tz--", origin.size(), origin.pool(), originName, 0, -1, "", "", 0, 0, "", false,
        List.of(LvmJson.OWNER_TAG));
    reread(op, state, pool, planned);
    return op.done("created thin snapshot " + vg + "/" + name + " of " + originName);
  }

  /** After a create: warnings from the real new state, or from the planned one in a dry run. */
  private static void reread(Operation op, LvmState before, Lv pool, Lv planned) {
    if (op.dryRun()) {
      warnPool(op, before, pool, List.of(planned));
      return;
    }
    LvmState after = LvmState.read(op, LvmState.Need.VGS, LvmState.Need.LVS);
    Lv p = after.lv(pool.vg(), pool.name()).orElse(pool);
    warnPool(op, after, p, List.of());
  }

  private static void warnPool(Operation op, LvmState state, Lv pool, List<Lv> plus) {
    List<Lv> thins = new ArrayList<>(state.thinVolumesOf(pool.vg(), pool.name()));
    thins.addAll(plus);
    OverProvisioning.warnings(pool, thins, state.vg(pool.vg()).orElse(null)).forEach(op::warn);
  }

  private static Lv thinPool(LvmState state, String vg, String pool) {
    Lv p = state.lv(vg, pool).orElseThrow(
        () -> new RefusedException("thin pool " + vg + "/" + pool + " does not exist; call EnsureThinPool first"));
    if (!p.thinPool()) {
      throw new RefusedException(p.fullName() + " is not a thin pool (lv_attr " + p.attr() + ")");
    }
    return p;
  }
}
