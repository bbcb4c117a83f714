package io.brickyard.agent.gluster;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.CloneSnapshotRequest;
import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.ListSnapshotsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.agent.v1.SnapshotBricks;
import io.brickyard.api.agent.v1.SnapshotBricksRequest;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotList;
import io.brickyard.api.agent.v1.SnapshotRef;
import io.brickyard.api.agent.v1.SnapshotServiceGrpc;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;

/**
 * gRPC glue for {@link Snapshots}: one line per RPC. Changes hold the per-volume key lock of the
 * gluster service ("gluster snapshot NAME"), as volume changes do.
 */
public final class SnapshotServiceImpl extends SnapshotServiceGrpc.SnapshotServiceImplBase {
  private final Snapshots snapshots;

  public SnapshotServiceImpl(AgentContext ctx) {
    this(ctx.runner());
  }

  /** A runner of one's choice (the VM tier's guest runs the real CLI). */
  public SnapshotServiceImpl(CommandRunner runner) {
    this.snapshots = new Snapshots(runner);
  }

  @Override
  public void createSnapshot(CreateSnapshotRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), key(req.getName()), () -> snapshots.create(req));
  }

  @Override
  public void listSnapshots(ListSnapshotsRequest req, StreamObserver<SnapshotList> out) {
    Rpcs.unary(out, () -> snapshots.list(req));
  }

  @Override
  public void getSnapshot(SnapshotRef req, StreamObserver<Snapshot> out) {
    Rpcs.unary(out, () -> snapshots.get(req));
  }

  @Override
  public void activateSnapshot(SnapshotChangeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), key(req.getName()), () -> snapshots.activate(req));
  }

  @Override
  public void deactivateSnapshot(SnapshotChangeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), key(req.getName()), () -> snapshots.deactivate(req));
  }

  @Override
  public void restoreSnapshot(SnapshotChangeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), key(req.getName()), () -> snapshots.restore(req));
  }

  @Override
  public void cloneSnapshot(CloneSnapshotRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), key(req.getSnapshot()), () -> snapshots.clone(req));
  }

  @Override
  public void deleteSnapshot(SnapshotChangeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), key(req.getName()), () -> snapshots.delete(req));
  }

  @Override
  public void getSnapshotBricks(SnapshotBricksRequest req, StreamObserver<SnapshotBricks> out) {
    Rpcs.unary(out, () -> snapshots.bricks(req));
  }

  private static String key(String name) {
    return "gluster snapshot " + name;
  }
}
