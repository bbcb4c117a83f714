package io.brickyard.agent.lvm;

import io.brickyard.agent.inventory.DeviceInspection;
import io.brickyard.agent.lvm.LvmJson.Pv;
import io.brickyard.agent.lvm.LvmJson.Vg;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.EnsureVolumeGroupRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.Command;
import io.brickyard.common.storage.Sizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * PVs and VGs. The data-safety rule lives here: a device becomes a PV only when wipefs, lsblk and
 * sysfs agree it carries nothing (no signature, partition, mount or holder), or when the request
 * says wipe bound to the device the plan showed ({@link DeviceInspection}), and even then never
 * while it is in use.
 */
final class PvVgOps {
  private final DeviceInspection.Sources sources;

  PvVgOps(DeviceInspection.Sources sources) {
    this.sources = sources;
  }

  OperationResult ensurePv(Operation op, EnsurePhysicalVolumeRequest req) {
    String dev = Names.device(req.getDevice(), "device");
    SizeSpec.Absolute align = SizeSpec.optional(req.getDataAlignment(), "data_alignment");
    SizeSpec.Absolute mda = SizeSpec.optional(req.getMetadataSize(), "metadata_size");
    if (!Files.exists(Path.of(dev))) {
      throw new RefusedException("device " + dev + " does not exist");
    }
    String digest = req.getOptions().getExpectedDeviceDigest();
    DeviceInspection found = DeviceInspection.read(op, dev, sources);
    found.check(req.getExpectedDisk(), digest);
    LvmState state = LvmState.read(op, LvmState.Need.PVS);
    Pv existing = state.pv(dev).orElse(null);
    if (existing != null) {
      if (align != null && existing.peStart() % align.bytes() != 0) {
        op.warn("PV " + dev + " already exists with data starting at " + existing.peStart()
            + " bytes, not a multiple of the requested data_alignment " + req.getDataAlignment()
            + "; an existing PV is never re-created");
      }
      return op.unchanged("PV " + dev + " already present" + (existing.vg().isEmpty() ? "" : " (in VG " + existing.vg() + ")"));
    }
    if (!found.inUse().isEmpty()) {
      throw new RefusedException("refusing to pvcreate " + dev + " (" + found.describe() + "): "
          + String.join("; ", found.inUse())
          + " (wipe does not override a device in use)");
    }
    List<String> why = found.notBlank();
    if (!why.isEmpty()) {
      if (!req.getWipe()) {
        throw new RefusedException("refusing to pvcreate " + dev + ": " + String.join("; ", why)
            + ". Its data would be lost; pass wipe=true to erase it (wipefs --all) first");
      }
      found.authorizeWipe(op, digest, "pvcreate");
      op.change(Command.of("wipefs", "--all", dev));
    }
    List<String> argv = new ArrayList<>(List.of("pvcreate"));
    if (align != null) {
      argv.addAll(List.of("--dataalignment", align.lvmArg()));
    }
    if (mda != null) {
      argv.addAll(List.of("--metadatasize", mda.lvmArg()));
    }
    argv.add(dev);
    op.change(Command.of(argv));
    return op.done("created PV " + dev + " (" + found.describe() + ")"
        + (why.isEmpty() ? "" : " after wiping (" + String.join("; ", why) + ")"));
  }

  OperationResult ensureVg(Operation op, EnsureVolumeGroupRequest req) {
    String name = Names.lvmName(req.getName(), "name");
    if (req.getDevicesCount() == 0) {
      throw new IllegalArgumentException("devices: at least one PV is required");
    }
    List<String> devices = new ArrayList<>();
    for (String d : req.getDevicesList()) {
      devices.add(Names.device(d, "devices"));
    }
    SizeSpec.Absolute pe = SizeSpec.optional(req.getPhysicalExtentSize(), "physical_extent_size");
    LvmState state = LvmState.read(op, LvmState.Need.PVS, LvmState.Need.VGS);
    List<String> missing = new ArrayList<>();
    for (String d : devices) {
      Pv pv = state.pv(d).orElseThrow(() -> new RefusedException(
          d + " is not a PV; call EnsurePhysicalVolume first"));
      if (!pv.vg().isEmpty() && !pv.vg().equals(name)) {
        throw new RefusedException("PV " + d + " already belongs to VG " + pv.vg() + "; refusing to move it to " + name);
      }
      if (pv.vg().isEmpty()) {
        missing.add(d);
      }
    }
    Vg vg = state.vg(name).orElse(null);
    if (vg == null) {
      List<String> argv = new ArrayList<>(List.of("vgcreate"));
      if (pe != null) {
        argv.addAll(List.of("--physicalextentsize", pe.lvmArg()));
      }
      argv.add(name);
      argv.addAll(devices);
      op.change(Command.of(argv));
      return op.done("created VG " + name + " on " + String.join(", ", devices));
    }
    if (pe != null && vg.extentSize() != pe.bytes()) {
      op.warn("VG " + name + " has extent size " + Sizes.compact(vg.extentSize()) + ", not the requested "
          + pe.lvmArg() + "; the extent size of an existing VG is not changed");
    }
    List<String> extra = state.pvs().stream().filter(p -> p.vg().equals(name))
        .map(Pv::name).filter(n -> devices.stream().noneMatch(d -> LvmState.canonical(d).equals(LvmState.canonical(n))))
        .toList();
    if (!extra.isEmpty()) {
      op.warn("VG " + name + " also has PVs not in the request: " + String.join(", ", extra)
          + " (never removed automatically)");
    }
    if (missing.isEmpty()) {
      return op.unchanged("VG " + name + " already present with " + String.join(", ", devices));
    }
    op.change(Command.of(Stream.concat(Stream.of("vgextend", name), missing.stream()).toList()));
    return op.done("extended VG " + name + " with " + String.join(", ", missing));
  }
}
