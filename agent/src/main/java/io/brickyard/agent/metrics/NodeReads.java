package io.brickyard.agent.metrics;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.facts.IpAddr;
import io.brickyard.agent.lvm.LvmJson.Lv;
import io.brickyard.agent.lvm.LvmJson.Vg;
import io.brickyard.agent.lvm.LvmState;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.storage.FsUsage;
import io.brickyard.agent.storage.FstabEntry;
import io.brickyard.agent.storage.FstabFile;
import io.brickyard.agent.storage.MountTable;
import io.brickyard.agent.vip.VipLabel;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the node for the storage metrics through the capabilities' own readers (LvmState for
 * lvs/vgs JSON, FstabFile and MountTable for which brick filesystems exist and are mounted, FsUsage
 * for their space, the service backend for units, IpAddr and VipLabel for held VIPs), so a metric
 * and an RPC never disagree about what the node holds. Each source fails alone: a node without
 * lvm2 still reports its bricks.
 *
 * <p><b>Which filesystems are bricks.</b> The ones whose fstab line carries Brickyard's ownership
 * marker ({@link FstabFile#MARKER}): Brickyard writes such a line for exactly the filesystems it
 * formats and mounts for bricks (EnsureMount), it survives reboots and agent restarts, and an
 * admin's own mounts never carry it. A brick directory placed by hand on an unmanaged filesystem is
 * not counted; its space is the admin's node_exporter's business.
 */
final class NodeReads {
  /** The units whose up/down is a storage metric; a unit that is not installed is not reported. */
  static final List<String> UNITS = List.of("glusterd", "nfs-ganesha", "firewalld");
  /** No command of a metrics read may run longer (the RPCs' 60 s default is for changes, not scrapes). */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private final AgentContext ctx;
  private final CommandRunner runner;

  NodeReads(AgentContext ctx) {
    this.ctx = ctx;
    this.runner = c -> ctx.runner().run(c.timeout().compareTo(COMMAND_TIMEOUT) > 0 ? c.withTimeout(COMMAND_TIMEOUT) : c);
  }

  NodeSnapshot read() {
    Map<String, Boolean> ok = new LinkedHashMap<>();
    List<NodeSnapshot.ThinPool> pools = new ArrayList<>();
    List<NodeSnapshot.VolumeGroup> vgs = new ArrayList<>();
    try {
      LvmState lvm = LvmState.read(new Operation(runner, true), LvmState.Need.VGS, LvmState.Need.LVS);
      for (Lv lv : lvm.lvs()) {
        if (lv.thinPool()) {
          pools.add(thinPool(lv));
        }
      }
      for (Vg vg : lvm.vgs()) {
        vgs.add(new NodeSnapshot.VolumeGroup(vg.name(), vg.size(), vg.free()));
      }
      ok.put("lvm", true);
    } catch (RuntimeException e) {
      ok.put("lvm", false); // no lvm2, or lvs failing: no LVM rows
    }
    List<NodeSnapshot.BrickFs> bricks = new ArrayList<>();
    try {
      bricks = bricks();
      ok.put("bricks", true);
    } catch (Exception e) {
      ok.put("bricks", false);
    }
    Map<String, Boolean> services = new LinkedHashMap<>();
    try {
      for (String unit : UNITS) {
        ServiceState s = ctx.services().status(unit);
        if (s.getInstalled()) {
          services.put(unit, s.getActive());
        }
      }
      ok.put("services", true);
    } catch (RuntimeException e) {
      ok.put("services", false);
    }
    List<NodeSnapshot.Vip> vips = new ArrayList<>();
    try {
      CommandResult ip = runner.run(IpAddr.COMMAND);
      if (!ip.ok()) {
        throw new IllegalStateException(ip.stderr());
      }
      VipLabel.held(IpAddr.links(ip.stdout())).forEach(v -> vips.add(new NodeSnapshot.Vip(v.getAddress(), v.getInterface())));
      ok.put("vips", true);
    } catch (RuntimeException e) {
      ok.put("vips", false);
    }
    return new NodeSnapshot(pools, vgs, bricks, services, vips, ok);
  }

  /**
   * lvs gives the pool's data size (lv_size) and metadata size with fill percentages (two
   * decimals), so used bytes are as exact as LVM reports them: within 0.005% of the size, the same
   * rounding gluster-prometheus has.
   */
  static NodeSnapshot.ThinPool thinPool(Lv lv) {
    double data = Math.max(0, lv.dataPercent());
    double meta = Math.max(0, lv.metadataPercent());
    return new NodeSnapshot.ThinPool(lv.vg(), lv.name(), lv.size(), lv.size() * data / 100.0,
        lv.metadataSize(), lv.metadataSize() * meta / 100.0);
  }

  private List<NodeSnapshot.BrickFs> bricks() throws Exception {
    List<String> owned = FstabFile.load(ctx.paths().fstab()).entries().stream()
        .filter(FstabEntry::owned).map(FstabEntry::file).distinct().toList();
    if (owned.isEmpty()) {
      return List.of();
    }
    CommandResult mt = runner.run(MountTable.all());
    if (!mt.ok()) {
      throw new IllegalStateException("findmnt: " + mt.stderr());
    }
    MountTable table = MountTable.parse(mt.stdout());
    List<String> mounted = owned.stream().filter(m -> !table.at(m).isEmpty()).toList();
    Map<String, FsUsage.Usage> usage = Map.of();
    if (!mounted.isEmpty()) {
      CommandResult df = runner.run(FsUsage.of(mounted));
      usage = FsUsage.parse(df.stdout()); // df exits 1 if one path fails; the others' rows still count
    }
    List<NodeSnapshot.BrickFs> out = new ArrayList<>();
    for (String m : owned) {
      FsUsage.Usage u = usage.get(m);
      if (u == null) {
        out.add(new NodeSnapshot.BrickFs(m, mounted.contains(m), -1, -1, -1, -1, -1));
      } else {
        out.add(new NodeSnapshot.BrickFs(m, true, u.size(), u.used(), u.avail(), u.inodes(), u.inodesFree()));
      }
    }
    return out;
  }
}
