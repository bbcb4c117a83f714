package io.brickyard.agent.storage;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.inventory.DeviceInspection;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.FilesystemInfo;
import io.brickyard.api.agent.v1.GetFilesystemRequest;
import io.brickyard.api.agent.v1.GetMountsRequest;
import io.brickyard.api.agent.v1.MountEntry;
import io.brickyard.api.agent.v1.MountReport;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveMountRequest;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Filesystems, mounts, fstab and brick directories on this node. Each RPC reads the node
 * (blkid, findmnt, the fstab file) every time; nothing is cached, so a re-run after any
 * interruption sees what was really done and finishes the rest.
 */
public final class StorageServiceImpl extends StorageServiceGrpc.StorageServiceImplBase {
  private final AgentContext ctx;
  private final Mounter mounter;
  private final BrickDirectories bricks;

  public StorageServiceImpl(AgentContext ctx) {
    this.ctx = ctx;
    this.mounter = new Mounter(ctx);
    this.bricks = new BrickDirectories(ctx);
  }

  @Override
  public void ensureXfs(EnsureXfsRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> XfsFormatter.ensure(new Operation(ctx.runner(), req.getOptions()), req,
        DeviceInspection.Sources.SYSTEM));
  }

  @Override
  public void ensureMount(EnsureMountRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> mounter.ensure(new Operation(ctx.runner(), req.getOptions()), req));
  }

  @Override
  public void removeMount(RemoveMountRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> mounter.remove(new Operation(ctx.runner(), req.getOptions()), req));
  }

  @Override
  public void purgeBrickDirectory(io.brickyard.api.agent.v1.PurgeBrickDirectoryRequest req,
      StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> new BrickPurge().purge(new Operation(ctx.runner(), req.getOptions()), req));
  }

  @Override
  public void ensureBrickDirectory(EnsureBrickDirectoryRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> bricks.ensure(new Operation(ctx.runner(), req.getOptions()), req));
  }

  @Override
  public void getMounts(GetMountsRequest req, StreamObserver<MountReport> out) {
    Rpcs.unary(out, () -> {
      MountReport.Builder b = MountReport.newBuilder();
      for (MountTable.Mount m : mountTable().mounts()) {
        b.addMounts(MountEntry.newBuilder().setTarget(m.target()).setSource(m.source())
            .setFsType(m.fsType()).setOptions(m.options()));
      }
      FstabFile fstab;
      try {
        fstab = FstabFile.load(ctx.paths().fstab());
      } catch (IOException e) {
        throw new OperationFailedException("cannot read " + ctx.paths().fstab() + ": " + e.getMessage(), e);
      }
      for (FstabEntry e : fstab.entries()) {
        b.addFstab(io.brickyard.api.agent.v1.FstabEntry.newBuilder().setSpec(e.spec()).setFile(e.file())
            .setVfsType(e.vfsType()).setOptions(String.join(",", e.options())).setFreq(e.freq())
            .setPassno(e.passno()).setManagedByBrickyard(e.owned()));
      }
      return b.build();
    });
  }

  @Override
  public void getFilesystem(GetFilesystemRequest req, StreamObserver<FilesystemInfo> out) {
    Rpcs.unary(out, () -> {
      String dev = Args.device("device", req.getDevice());
      String majMin = BlockDevice.majMin(Path.of(dev));
      if (majMin == null) {
        throw new IllegalArgumentException("device " + dev + " does not exist or is not a block device");
      }
      Blkid.Probe p = Blkid.result(ctx.runner().run(Blkid.probe(dev)));
      FilesystemInfo.Builder b = FilesystemInfo.newBuilder().setDevice(dev).setType(p.type())
          .setUuid(p.uuid()).setLabel(p.label());
      mountTable().ofDevice(majMin).forEach(m -> b.addMountpoints(m.target()));
      return b.build();
    });
  }

  private MountTable mountTable() {
    CommandResult r = ctx.runner().run(MountTable.all());
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return MountTable.parse(r.stdout());
  }
}
