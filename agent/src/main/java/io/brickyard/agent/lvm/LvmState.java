package io.brickyard.agent.lvm;

import io.brickyard.agent.lvm.LvmJson.Lv;
import io.brickyard.agent.lvm.LvmJson.Pv;
import io.brickyard.agent.lvm.LvmJson.Vg;
import io.brickyard.agent.op.Operation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The node's LVM state as read right now by pvs/vgs/lvs. Built afresh for every request (the node
 * is the truth); never cached between requests.
 */
public record LvmState(List<Pv> pvs, List<Vg> vgs, List<Lv> lvs) {

  /** Which reports a decision needs; each LVM command costs a device scan, so read no more. */
  public enum Need { PVS, VGS, LVS }

  /** Reads all three reports through the operation (reads run even in a dry run). */
  public static LvmState read(Operation op) {
    return read(op, Need.PVS, Need.VGS, Need.LVS);
  }

  /** Reads only the reports named; the others are empty lists. */
  public static LvmState read(Operation op, Need... needs) {
    java.util.Set<Need> n = java.util.EnumSet.noneOf(Need.class);
    n.addAll(List.of(needs));
    return new LvmState(
        n.contains(Need.PVS) ? LvmJson.parsePvs(op.readChecked(LvmJson.pvsCommand()).stdout()) : List.of(),
        n.contains(Need.VGS) ? LvmJson.parseVgs(op.readChecked(LvmJson.vgsCommand()).stdout()) : List.of(),
        n.contains(Need.LVS) ? LvmJson.parseLvs(op.readChecked(LvmJson.lvsCommand()).stdout()) : List.of());
  }

  public Optional<Vg> vg(String name) {
    return vgs.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  public Optional<Lv> lv(String vg, String name) {
    return lvs.stream().filter(l -> l.vg().equals(vg) && l.name().equals(name)).findFirst();
  }

  /** The PV on {@code device}, comparing resolved paths so /dev/disk/by-id links match /dev/sdb. */
  public Optional<Pv> pv(String device) {
    String want = canonical(device);
    return pvs.stream().filter(p -> canonical(p.name()).equals(want)).findFirst();
  }

  /** Thin volumes (including thin snapshots) whose pool is {@code vg/pool}. */
  public List<Lv> thinVolumesOf(String vg, String pool) {
    return lvs.stream().filter(l -> l.vg().equals(vg) && l.pool().equals(pool) && l.thinVolume()).toList();
  }

  /** Over-provisioning and fill warnings for every thin pool, with numbers. */
  public List<String> warnings() {
    return lvs.stream().filter(Lv::thinPool)
        .flatMap(p -> OverProvisioning.warnings(p, thinVolumesOf(p.vg(), p.name()), vg(p.vg()).orElse(null)).stream())
        .toList();
  }

  static String canonical(String device) {
    try {
      return Path.of(device).toRealPath().toString();
    } catch (IOException | RuntimeException e) {
      return device;
    }
  }
}
