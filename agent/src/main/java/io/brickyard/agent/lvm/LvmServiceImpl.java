package io.brickyard.agent.lvm;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.inventory.DeviceInspection;
import io.brickyard.agent.lvm.LvmJson.Lv;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.EnsureThinPoolRequest;
import io.brickyard.api.agent.v1.EnsureThinSnapshotRequest;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.EnsureVolumeGroupRequest;
import io.brickyard.api.agent.v1.ExtendLogicalVolumeRequest;
import io.brickyard.api.agent.v1.GetLvmReportRequest;
import io.brickyard.api.agent.v1.LogicalVolume;
import io.brickyard.api.agent.v1.LvmReport;
import io.brickyard.api.agent.v1.LvmServiceGrpc;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.PhysicalVolume;
import io.brickyard.api.agent.v1.RemoveLogicalVolumeRequest;
import io.brickyard.api.agent.v1.VolumeGroup;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;

/**
 * LvmService: PV -> VG -> thin pool -> thin LV (+ thin snapshots) on this node. gRPC glue only;
 * the check-then-act logic is in {@link PvVgOps}, {@link ThinOps} and {@link LvOps}, and every
 * decision is taken on a fresh pvs/vgs/lvs read ({@link LvmState}).
 */
public final class LvmServiceImpl extends LvmServiceGrpc.LvmServiceImplBase {
  private final CommandRunner runner;
  private final PvVgOps pvVg;
  private final ThinOps thin;
  private final LvOps lvs = new LvOps();

  public LvmServiceImpl(AgentContext ctx) {
    this(ctx.runner(), Path.of("/etc/lvm/profile"), DeviceInspection.Sources.SYSTEM);
  }

  /** {@code profileDir}: where autoextend profiles go; {@code sources}: where holders and swaps are read. */
  public LvmServiceImpl(CommandRunner runner, Path profileDir, DeviceInspection.Sources sources) {
    this.runner = runner;
    this.pvVg = new PvVgOps(sources);
    this.thin = new ThinOps(new AutoextendProfile(profileDir));
  }

  @Override
  public void ensurePhysicalVolume(EnsurePhysicalVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> pvVg.ensurePv(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureVolumeGroup(EnsureVolumeGroupRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> pvVg.ensureVg(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureThinPool(EnsureThinPoolRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> thin.ensurePool(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureThinVolume(EnsureThinVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> thin.ensureVolume(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureThinSnapshot(EnsureThinSnapshotRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> thin.ensureSnapshot(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void extendLogicalVolume(ExtendLogicalVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> lvs.extend(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void removeLogicalVolume(RemoveLogicalVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> lvs.remove(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void getLvmReport(GetLvmReportRequest req, StreamObserver<LvmReport> out) {
    Rpcs.unary(out, () -> report(LvmState.read(new Operation(runner, true))));
  }

  /** The wire form of a state read; pools carry the sum of their thin volumes' virtual sizes. */
  static LvmReport report(LvmState s) {
    LvmReport.Builder r = LvmReport.newBuilder();
    s.pvs().forEach(p -> r.addPhysicalVolumes(PhysicalVolume.newBuilder().setDevice(p.name()).setVg(p.vg())
        .setSizeBytes(p.size()).setFreeBytes(p.free()).setUuid(p.uuid())));
    s.vgs().forEach(v -> r.addVolumeGroups(VolumeGroup.newBuilder().setName(v.name()).setSizeBytes(v.size())
        .setFreeBytes(v.free()).setPvCount(v.pvCount()).setLvCount(v.lvCount()).setUuid(v.uuid())));
    for (Lv l : s.lvs()) {
      LogicalVolume.Builder b = LogicalVolume.newBuilder().setVg(l.vg()).setName(l.name()).setAttr(l.attr())
          .setSizeBytes(l.size()).setPool(l.pool()).setOrigin(l.origin())
          .setDataPercent(Math.max(l.dataPercent(), 0)).setMetadataPercent(Math.max(l.metadataPercent(), 0))
          .setThinPool(l.thinPool()).setThinVolume(l.thinVolume()).setActive(l.active()).setPath(l.path())
          .setUuid(l.uuid()).setMetadataSizeBytes(l.metadataSize()).setChunkSizeBytes(l.chunkSize())
          .addAllTags(l.tags());
      if (l.thinPool()) {
        b.setVirtualAllocatedBytes(OverProvisioning.virtualAllocated(s.thinVolumesOf(l.vg(), l.name())));
      }
      r.addLogicalVolumes(b);
    }
    r.addAllWarnings(s.warnings());
    return r.build();
  }
}
