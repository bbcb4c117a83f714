package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.DetachPeerRequest;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveBricksRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** remove-brick and peer detach checks on real captured answers (the lab's 2 x 2 vol1; nsvc's replica 2 vol1). */
class BrickRemovalTest {
  private static final String G = "gluster --mode=script --timeout=120 -- ";
  private static final String X = "gluster --mode=script --timeout=120 --xml -- ";
  private static final String B3 = "gluster3:/gluster/b1/brick";
  private static final String B4 = "gluster4:/gluster/b1/brick";

  private static GlusterServiceImpl svc(ScriptedRunner r) {
    return new GlusterServiceImpl(r, d -> { }, Duration.ofMillis(1));
  }

  private static GlusterVolume twoByTwo() {
    return VolumeXml.parseInfo(fixture("gluster/volume-info.2x2.xml")).get(0);
  }

  @Test
  void onlyWholeSetsAndNeverTheLast() {
    BrickRemoval.wholeSets(twoByTwo(), List.of(B3, B4));
    assertThatThrownBy(() -> BrickRemoval.wholeSets(twoByTwo(), List.of("gluster2:/gluster/b1/brick", B3)))
        .isInstanceOf(RefusedException.class).hasMessageContaining("form one set");
    assertThatThrownBy(() -> BrickRemoval.wholeSets(twoByTwo(), List.of("gluster1:/gluster/b1/brick",
        "gluster2:/gluster/b1/brick", B3, B4))).hasMessageContaining("delete the volume");
  }

  private static ScriptedRunner notStarted() {
    return new ScriptedRunner().ok(X + "volume info all", fixture("gluster/volume-info.2x2.xml"))
        .on(X + "volume remove-brick vol1 " + B3 + " " + B4 + " status", 1,
            fixture("gluster/remove-brick-status.not-started.xml"), "");
  }

  @Test
  void startRunsOnceNothingIsMigratingAndCommitWaitsForACompletedMigration() {
    ScriptedRunner r = notStarted().ok(G + "volume remove-brick vol1 " + B3 + " " + B4 + " start",
        "volume remove-brick start: success\n");
    OperationResult start = svc(r).removeBricks(RemoveBricksRequest.newBuilder().setVolume("vol1")
        .addAllBricks(List.of(B3, B4)).setAction("start").build());
    assertThat(start.getChanged()).isTrue();
    ScriptedRunner c = notStarted();
    assertThatThrownBy(() -> svc(c).removeBricks(RemoveBricksRequest.newBuilder().setVolume("vol1")
        .addAllBricks(List.of(B3, B4)).setAction("commit").build())).isInstanceOf(RefusedException.class)
        .hasMessageContaining("is not started").hasMessageContaining("commit only after it completed");
    assertThat(c.ranJoined()).noneMatch(x -> x.endsWith(" commit"));
  }

  @Test
  void aPeerHoldingABrickIsNotDetached() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "pool list", fixture("gluster/pool-list.two.xml"))
        .ok(X + "volume info all", fixture("gluster/volume-info.started.xml"));
    assertThatThrownBy(() -> svc(r).detachPeer(DetachPeerRequest.newBuilder().setHostname("nsvc2").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("nsvc2 still holds bricks: [vol1: nsvc2:");
    assertThat(r.ranJoined()).noneMatch(x -> x.contains("peer detach"));
    ScriptedRunner gone = new ScriptedRunner().ok(X + "pool list", fixture("gluster/pool-list.two.xml"));
    assertThat(svc(gone).detachPeer(DetachPeerRequest.newBuilder().setHostname("nsvc9").build()).getChanged()).isFalse();
    assertThatThrownBy(() -> svc(new ScriptedRunner()).detachPeer(DetachPeerRequest.newBuilder().setHostname("-x").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStatusReadRefusedForAnotherTransactionIsAskedAgain() {
    // real: a remove-brick status beside another status read answered "Another transaction is in progress"
    String busy = fixture("gluster/volume-set.another-transaction.txt");
    ScriptedRunner r = new ScriptedRunner()
        .on(X + "volume remove-brick vol1 " + B3 + " " + B4 + " status", 1, busy, "")
        .on(X + "volume remove-brick vol1 " + B3 + " " + B4 + " status", 0, busy, "") // --xml: exit 0, opRet -1
        .ok(X + "volume remove-brick vol1 " + B3 + " " + B4 + " status", fixture("gluster/remove-brick-status.in-progress.xml"));
    var st = svc(r).getRemoveBricks(io.brickyard.api.agent.v1.GetRemoveBricksRequest.newBuilder().setVolume("vol1")
        .addAllBricks(List.of(B3, B4)).build());
    assertThat(st.getStatus()).isEqualTo("in progress");
    assertThat(r.ran()).hasSize(3);
  }
}
