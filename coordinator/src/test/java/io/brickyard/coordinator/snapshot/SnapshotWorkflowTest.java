package io.brickyard.coordinator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.StopVolumeRequest;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.SnapshotAction;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brickyard snapshot ...} in the coordinator: spec checks, the node asked, restore's steps, the journal. */
class SnapshotWorkflowTest {
  static final String SPEC = """
      apiVersion: brickyard/v1
      kind: Cluster
      metadata: {name: t}
      nodes:
        - name: gluster1
      storage:
        defaults:
          - volumeGroup: data
            devices: [/dev/sda]
            thinVolumes:
              - {name: vol1, virtualSize: 1G, mountPoint: /gluster/vol1/brick1}
      volumes:
        - name: vol1
          type: distribute
          bricks: [gluster1:/gluster/vol1/brick1/brick]
      """;
  @TempDir Path dir;
  final InProcessAgents agents = new InProcessAgents("snapwf-");
  final FakeSnapshotAgent snaps = new FakeSnapshotAgent();
  final List<String> gluster = new ArrayList<>();
  volatile boolean restoreFails;

  /** The volume stop/start half of a restore. */
  final class FakeGluster extends GlusterServiceGrpc.GlusterServiceImplBase {
    @Override
    public void stopVolume(StopVolumeRequest r, StreamObserver<OperationResult> out) {
      gluster.add("stop " + r.getVolume());
      out.onNext(OperationResult.newBuilder().setChanged(true).setSummary("stopped volume " + r.getVolume()).build());
      out.onCompleted();
    }

    @Override
    public void startVolume(StartVolumeRequest r, StreamObserver<OperationResult> out) {
      gluster.add("start " + r.getVolume());
      out.onNext(OperationResult.newBuilder().setChanged(true).setSummary("started volume " + r.getVolume()).build());
      out.onCompleted();
    }
  }

  final class RestoringAgent extends FakeSnapshotAgent {
    @Override
    public void restoreSnapshot(SnapshotChangeRequest r, StreamObserver<OperationResult> out) {
      gluster.add("restore " + r.getName());
      if (restoreFails) {
        out.onError(Status.ABORTED.withDescription("snapshot restore " + r.getName() + " failed: Commit failed").asRuntimeException());
        return;
      }
      out.onNext(OperationResult.newBuilder().setChanged(true).setSummary("restored vol1 to snapshot " + r.getName()).build());
      out.onCompleted();
    }
  }

  private SnapshotWorkflow workflow() {
    return new SnapshotWorkflow(agents.clients(), new Journal(dir), new ClusterLock(), Duration.ofSeconds(10), Clock.systemUTC());
  }

  private static SnapshotCommand.Builder cmd(SnapshotAction a) {
    return SnapshotCommand.newBuilder().setSpecYaml(SPEC).setSourceName("t.yaml").setAction(a);
  }

  @AfterEach
  void close() throws Exception {
    agents.close();
  }

  @Test
  void aVolumeOutsideTheSpecOrAMissingNameIsInvalid() throws Exception {
    agents.add("gluster1", snaps);
    assertThat(workflow().run(cmd(SnapshotAction.SNAPSHOT_CREATE).setVolume("vol9").setName("s").build()))
        .isInstanceOf(SnapshotWorkflow.Outcome.Invalid.class);
    assertThat(workflow().run(cmd(SnapshotAction.SNAPSHOT_DELETE).build())).isInstanceOf(SnapshotWorkflow.Outcome.Invalid.class);
    assertThat(snaps.calls).isEmpty();
  }

  @Test
  void createIsJournaledAndListReadsWithoutTheLock() throws Exception {
    agents.add("gluster1", snaps);
    SnapshotWorkflow w = workflow();
    SnapshotWorkflow.Outcome o = w.run(cmd(SnapshotAction.SNAPSHOT_CREATE).setVolume("vol1").setName("s1").build());
    SnapshotCommandResponse r = ((SnapshotWorkflow.Outcome.Done) o).response();
    assertThat(r.getNode()).isEqualTo("gluster1");
    assertThat(r.getJournalId()).isNotEmpty();
    List<JournalEntry> j = new Journal(dir).list(0);
    assertThat(j).hasSize(1);
    assertThat(j.get(0).getKind()).isEqualTo("snapshot");
    assertThat(j.get(0).getSummary()).isEqualTo("snapshot create s1 on gluster1: created snapshot s1");
    SnapshotCommandResponse l = ((SnapshotWorkflow.Outcome.Done) w.run(cmd(SnapshotAction.SNAPSHOT_LIST).build())).response();
    assertThat(l.getSnapshotsList()).extracting(s -> s.getName()).containsExactly("s1");
  }

  @Test
  void restoreStopsRestoresAndStartsAndAFailureSaysHowFarItGot() throws Exception {
    RestoringAgent agent = new RestoringAgent();
    agent.snapshots.put("s1", "vol1");
    agents.add("gluster1", agent, new FakeGluster());
    SnapshotCommandResponse ok = ((SnapshotWorkflow.Outcome.Done) workflow().run(cmd(SnapshotAction.SNAPSHOT_RESTORE)
        .setName("s1").setStopVolume(true).build())).response();
    assertThat(gluster).containsExactly("stop vol1", "restore s1", "start vol1");
    assertThat(ok.getResultsList()).extracting(OperationResult::getSummary)
        .containsExactly("stopped volume vol1", "restored vol1 to snapshot s1", "started volume vol1");
    assertThat(ok.getError()).isEmpty();

    gluster.clear();
    restoreFails = true;
    SnapshotCommandResponse half = ((SnapshotWorkflow.Outcome.Done) workflow().run(cmd(SnapshotAction.SNAPSHOT_RESTORE)
        .setName("s1").setStopVolume(true).build())).response();
    assertThat(gluster).containsExactly("stop vol1", "restore s1");
    assertThat(half.getResultsList()).extracting(OperationResult::getSummary).containsExactly("stopped volume vol1");
    assertThat(half.getError()).isEqualTo("restore vol1 to s1 failed after 1 step(s): ABORTED: snapshot restore s1 failed: "
        + "Commit failed");
    assertThat(new Journal(dir).list(0).get(0).getSuccess()).isFalse();
  }

  @Test
  void createChecksTheBricksOfEveryNodeFirst() throws Exception {
    snaps.brickProblem = "brick gluster1:/gluster/vol1/brick1/brick is on LV data/thick (lv_attr -wi-ao----), a thick LV";
    agents.add("gluster1", snaps);
    SnapshotCommandResponse r = ((SnapshotWorkflow.Outcome.Done) workflow().run(cmd(SnapshotAction.SNAPSHOT_CREATE)
        .setVolume("vol1").setName("s1").build())).response();
    assertThat(r.getError()).isEqualTo("cannot snapshot vol1: gluster1: brick gluster1:/gluster/vol1/brick1/brick is on LV"
        + " data/thick (lv_attr -wi-ao----), a thick LV");
    assertThat(snaps.calls).isEmpty();
    assertThat(new Journal(dir).list(0)).singleElement().satisfies(e -> assertThat(e.getSuccess()).isFalse());
  }

  @Test
  void aMissingSnapshotIsTheCommandsErrorNotBadInput() throws Exception {
    agents.add("gluster1", snaps);
    SnapshotCommandResponse r = ((SnapshotWorkflow.Outcome.Done) workflow().run(cmd(SnapshotAction.SNAPSHOT_INFO)
        .setName("nosuch").build())).response();
    assertThat(r.getError()).isEqualTo("snapshot nosuch does not exist");
  }
}
