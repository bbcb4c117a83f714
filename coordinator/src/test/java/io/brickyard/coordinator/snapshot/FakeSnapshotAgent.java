package io.brickyard.coordinator.snapshot;

import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.ListSnapshotsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.agent.v1.SnapshotBrick;
import io.brickyard.api.agent.v1.SnapshotBricks;
import io.brickyard.api.agent.v1.SnapshotBricksRequest;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotList;
import io.brickyard.api.agent.v1.SnapshotRef;
import io.brickyard.api.agent.v1.SnapshotServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's view of a node's SnapshotService, in memory: the gluster side is tested on
 * real captured XML in the agent (SnapshotXmlTest) and on real gluster in the VM tier; this only
 * stands in for the agent so that the coordinator's decisions (when, what to prune, the guard)
 * can be driven with a test clock. It records every change it was asked for.
 */
class FakeSnapshotAgent extends SnapshotServiceGrpc.SnapshotServiceImplBase {
  final Map<String, String> snapshots = new LinkedHashMap<>(); // name -> origin volume
  final List<String> calls = new ArrayList<>();
  volatile double poolPercent = 10;
  volatile String brickProblem = "";

  @Override
  public synchronized void createSnapshot(CreateSnapshotRequest r, StreamObserver<OperationResult> out) {
    calls.add("create " + r.getName());
    snapshots.put(r.getName(), r.getVolume());
    out.onNext(OperationResult.newBuilder().setChanged(true).setSummary("created snapshot " + r.getName()).build());
    out.onCompleted();
  }

  @Override
  public synchronized void deleteSnapshot(SnapshotChangeRequest r, StreamObserver<OperationResult> out) {
    calls.add("delete " + r.getName());
    boolean had = snapshots.remove(r.getName()) != null;
    out.onNext(OperationResult.newBuilder().setChanged(had).setSummary("deleted snapshot " + r.getName()).build());
    out.onCompleted();
  }

  @Override
  public synchronized void listSnapshots(ListSnapshotsRequest r, StreamObserver<SnapshotList> out) {
    SnapshotList.Builder b = SnapshotList.newBuilder();
    snapshots.forEach((n, v) -> {
      if (r.getVolume().isEmpty() || r.getVolume().equals(v)) {
        b.addSnapshots(Snapshot.newBuilder().setName(n).setVolume(v));
      }
    });
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public synchronized void getSnapshot(SnapshotRef r, StreamObserver<Snapshot> out) {
    String v = snapshots.get(r.getName());
    if (v == null) {
      out.onError(Status.NOT_FOUND.withDescription("snapshot " + r.getName() + " does not exist").asRuntimeException());
      return;
    }
    out.onNext(Snapshot.newBuilder().setName(r.getName()).setVolume(v).build());
    out.onCompleted();
  }

  @Override
  public void getSnapshotBricks(SnapshotBricksRequest r, StreamObserver<SnapshotBricks> out) {
    out.onNext(SnapshotBricks.newBuilder().addBricks(SnapshotBrick.newBuilder().setBrick("node:/gluster/" + r.getVolume())
        .setVg("data").setPool("thinpool").setThin(brickProblem.isEmpty()).setProblem(brickProblem)
        .setPoolDataPercent(poolPercent)).build());
    out.onCompleted();
  }
}
