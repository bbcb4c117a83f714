package io.brickyard.agent.gluster;

import static io.brickyard.agent.gluster.ThinBricksTest.FINDMNT;
import static io.brickyard.agent.gluster.ThinBricksTest.LVS;
import static io.brickyard.agent.gluster.ThinBricksTest.raw;
import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.NotFoundException;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Check-then-act of the snapshot capability against the VM tier's captured gluster answers. */
class SnapshotsTest {
  private static final String X = "gluster --mode=script --timeout=120 --xml -- ";
  private final List<Duration> slept = new ArrayList<>();

  private static String snap(String name) {
    return fixture("gluster/snapshot/" + name + ".xml");
  }

  private Snapshots snapshots(ScriptedRunner r) {
    return new Snapshots(r, new GlusterCli(slept::add, Duration.ofSeconds(1)), ThinBricksTest.thin());
  }

  /** The guest before any snapshot: three started volumes, no snapshots. */
  private static ScriptedRunner node() {
    return ThinBricksTest.guest()
        .ok(X + "snapshot list", raw("snapshot-list-none.xml"))
        .ok(X + "volume info all", raw("volume-info-all.xml"))
        .ok(X + "pool list", raw("pool-list.xml"))
        .ok(X + "volume info snapvol", raw("volume-info-all.xml"))
        .ok(X + "volume info thickvol", raw("volume-info-all.xml"));
  }

  private static CreateSnapshotRequest create(String vol, String name) {
    return CreateSnapshotRequest.newBuilder().setVolume(vol).setName(name).setDescription("first snapshot").build();
  }

  @Test
  void createChecksTheBricksThenRunsOneGlusterCommand() {
    ScriptedRunner r = node().ok(X + "snapshot create snap1 snapvol no-timestamp description first snapshot", snap("create"));
    OperationResult res = snapshots(r).create(create("snapvol", "snap1"));
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getSummary()).isEqualTo("created snapshot snap1 of snapvol (9fdce923-1658-445e-9feb-92d4b1c4f318)");
    assertThat(res.getCommandsList()).hasSize(1);
    assertThat(res.getCommands(0).getArgvList()).containsExactly("gluster", "--mode=script", "--timeout=120", "--xml", "--",
        "snapshot", "create", "snap1", "snapvol", "no-timestamp", "description", "first snapshot");
  }

  @Test
  void aDryRunRunsNothing() {
    ScriptedRunner r = node();
    OperationResult res = snapshots(r).create(create("snapvol", "snap1").toBuilder()
        .setOptions(RequestOptions.newBuilder().setDryRun(true)).build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommands(0).getPlannedOnly()).isTrue();
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("snapshot create"));
  }

  @Test
  void aBrickNotOnAThinLvIsRefusedBeforeGlusterIsAsked() {
    ScriptedRunner r = node();
    assertThatThrownBy(() -> snapshots(r).create(create("thickvol", "s")))
        .isInstanceOf(RefusedException.class)
        .hasMessage("cannot snapshot thickvol: brick snapnode:/gluster/thick/brick1/brick is on LV data/thick (lv_attr "
            + "-wi-ao----), a thick LV, not a thin one; gluster snapshots need every brick on a thin LV of a thin pool");
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("snapshot create"));
  }

  @Test
  void anExistingSnapshotOfTheVolumeIsUnchangedAndOfAnotherRefused() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "snapshot list", snap("list-volume")).ok(X + "snapshot info snap1", snap("info-snap"));
    assertThat(snapshots(r).create(create("snapvol", "snap1")).getChanged()).isFalse();
    assertThatThrownBy(() -> snapshots(r).create(create("plainvol", "snap1"))).isInstanceOf(RefusedException.class)
        .hasMessageContaining("already exists, of volume snapvol");
  }

  @Test
  void glustersOwnRefusalIsTheErrorWhenItStillSaysNo() {
    // between our read and the create another admin made it: gluster's opErrstr is the message
    ScriptedRunner r = node().ok(X + "snapshot create snap1 snapvol no-timestamp description first snapshot",
        snap("create-duplicate"));
    assertThatThrownBy(() -> snapshots(r).create(create("snapvol", "snap1"))).isInstanceOf(OperationFailedException.class)
        .hasMessage("snapshot create snap1 failed: Snapshot snap1 already exists (opErrno 30812)");
  }

  @Test
  void activateAndDeactivateReadFirst() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "snapshot list", snap("list-volume"))
        .ok(X + "snapshot info snap1", snap("info-activated"));
    OperationResult res = snapshots(r).activate(SnapshotChangeRequest.newBuilder().setName("snap1").build());
    assertThat(res.getChanged()).isFalse();
    ScriptedRunner d = new ScriptedRunner().ok(X + "snapshot list", snap("list-volume"))
        .ok(X + "snapshot info snap1", snap("info-activated")).ok(X + "snapshot deactivate snap1", snap("deactivate"));
    assertThat(snapshots(d).deactivate(SnapshotChangeRequest.newBuilder().setName("snap1").build()).getChanged()).isTrue();
  }

  @Test
  void restoreOfAStartedVolumeAndCloneOfAnInactiveSnapshotSayWhatToDoFirst() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "snapshot list", snap("list-volume"))
        .ok(X + "snapshot info snap1", snap("info-snap")).ok(X + "volume info all", raw("volume-info-all.xml"));
    assertThatThrownBy(() -> snapshots(r).restore(SnapshotChangeRequest.newBuilder().setName("snap1").build()))
        .isInstanceOf(RefusedException.class).hasMessageStartingWith("volume snapvol is started: stop it before restoring snap1");
    assertThatThrownBy(() -> snapshots(r).clone(io.brickyard.api.agent.v1.CloneSnapshotRequest.newBuilder().setSnapshot("snap1")
        .setClone("clone1").build()))
        .isInstanceOf(RefusedException.class).hasMessageStartingWith("snapshot snap1 is not activated: activate it first");
  }

  @Test
  void missingSnapshotsAreNotFoundAndDeleteOfOneIsUnchanged() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "snapshot list", raw("snapshot-list-none.xml"));
    assertThatThrownBy(() -> snapshots(r).get(SnapshotRef.newBuilder().setName("snap1").build()))
        .isInstanceOf(NotFoundException.class).hasMessage("snapshot snap1 does not exist");
    assertThat(snapshots(r).delete(SnapshotChangeRequest.newBuilder().setName("snap1").build()).getChanged()).isFalse();
  }
}
