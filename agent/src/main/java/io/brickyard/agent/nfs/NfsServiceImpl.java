package io.brickyard.agent.nfs;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.api.agent.v1.ConfiguredExport;
import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.GaneshaConfigResult;
import io.brickyard.api.agent.v1.GetNfsStatusRequest;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.GraceResult;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveExportRequest;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;

/**
 * NfsService: NFS-Ganesha on this node (docs/nfs.md). gRPC glue only; the config file is
 * {@link GaneshaConfigOps}, exports {@link ExportOps}, grace {@link GraceOps}, health
 * {@link GaneshaHealthRead}, the shared recovery store {@link RecoveryStore}. Ganesha's D-Bus is one daemon for the whole node, so every change
 * holds the node lock.
 */
public final class NfsServiceImpl extends NfsServiceGrpc.NfsServiceImplBase {
  private final CommandRunner runner;
  private final GaneshaFiles files;
  private final GaneshaConfigOps config;
  private final ExportOps exports;
  private final GraceOps grace = new GraceOps();
  private final RecoveryStore recovery;

  public NfsServiceImpl(AgentContext ctx) {
    this(ctx.runner(), ctx.services(), GaneshaFiles.system(),
        new RecoveryStore(Path.of("/"), ctx.paths().fstab(), ctx.paths().fstabBackup()));
  }

  NfsServiceImpl(CommandRunner runner, ServiceBackend services, GaneshaFiles files, RecoveryStore recovery) {
    this.runner = runner;
    this.files = files;
    this.config = new GaneshaConfigOps(files, services);
    this.exports = new ExportOps(files);
    this.recovery = recovery;
  }

  @Override
  public void ensureGaneshaConfig(EnsureGaneshaConfigRequest req, StreamObserver<GaneshaConfigResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> config.ensure(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureExport(EnsureExportRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> exports.ensure(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void removeExport(RemoveExportRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> exports.remove(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void grace(GraceRequest req, StreamObserver<GraceResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> grace.grace(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureRecoveryStore(EnsureRecoveryStoreRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> recovery.ensure(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void getNfsStatus(GetNfsStatusRequest req, StreamObserver<NfsStatus> out) {
    Rpcs.unary(out, () -> status(new Operation(runner, true)));
  }

  NfsStatus status(Operation op) {
    NfsStatus.Builder s = NfsStatus.newBuilder().setHealth(GaneshaHealthRead.read(op))
        .setRestartRequired(config.restartRequired());
    for (GaneshaConfigText.Identity i : ExportFileSet.read(files).files().values()) {
      i.id().ifPresent(id -> {
        s.addConfiguredExportIds(id);
        s.addConfiguredExports(ConfiguredExport.newBuilder().setExportId(id).setPseudoPath(i.pseudo().orElse(""))
            .setVolume(i.volume().orElse("")));
      });
    }
    return s.build();
  }
}
