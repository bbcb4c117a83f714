package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.GetHealRequest;
import io.brickyard.api.agent.v1.HealStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ReplaceBrickRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ReplaceBrick's checks and commands on real captured answers: vol1 replica 2 on nsvc1/nsvc2 with
 * nsvc2's brick process killed (volume-status.brick-down.xml).
 */
class BrickReplacementTest {
  private static final String G = "gluster --mode=script --timeout=120 -- ";
  private static final String X = "gluster --mode=script --timeout=120 --xml -- ";
  private static final String B1 = "nsvc1:/tmp/netsvc-lab/w/h1/bricks/vol1";
  private static final String B2 = "nsvc2:/tmp/netsvc-lab/w/h2/bricks/vol1";
  private static final String NEW = "nsvc1:/tmp/netsvc-lab/w/h1/bricks/vol1-new";

  private static ScriptedRunner brickDown() {
    return new ScriptedRunner().ok(X + "volume info all", fixture("gluster/volume-info.started.xml"))
        .ok(X + "volume status vol1", fixture("gluster/volume-status.brick-down.xml"));
  }

  private static GlusterServiceImpl svc(ScriptedRunner r) {
    return new GlusterServiceImpl(r, d -> { }, Duration.ofMillis(1));
  }

  private static ReplaceBrickRequest req(String old, String neu) {
    return ReplaceBrickRequest.newBuilder().setVolume("vol1").setOldBrick(old).setNewBrick(neu).build();
  }

  @Test
  void theDeadBrickIsReplacedAndTheHealTriggered() {
    ScriptedRunner r = brickDown().ok(G + "volume replace-brick vol1 " + B2 + " " + NEW + " commit force",
        "volume replace-brick: success: replace-brick commit force operation successful\n")
        .ok(G + "volume heal vol1", "Launching heal operation to perform index self heal on volume vol1 has been successful\n");
    OperationResult res = svc(r).replaceBrick(req(B2, NEW));
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getSummary()).contains("the heal copies its files from [" + B1 + "]");
    assertThat(r.ranJoined()).contains(G + "volume replace-brick vol1 " + B2 + " " + NEW + " commit force",
        G + "volume heal vol1");
  }

  @Test
  void theOnlyOnlineCopyIsNotReplacedAndTheOfflineBrickIsNamed() {
    ScriptedRunner r = brickDown();
    assertThatThrownBy(() -> svc(r).replaceBrick(req(B1, NEW))).isInstanceOf(RefusedException.class)
        .hasMessageContaining("0 other brick(s) online").hasMessageContaining(B2);
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("replace-brick"));
  }

  @Test
  void aDoneReplacementIsUnchangedAndBadInputIsRefusedBeforeAnyCommand() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "volume info all", fixture("gluster/volume-info.started.xml"));
    assertThat(svc(r).replaceBrick(req("nsvc2:/gone", B2)).getChanged()).isFalse();
    assertThatThrownBy(() -> svc(new ScriptedRunner()).replaceBrick(req(B1, B1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> svc(new ScriptedRunner()).replaceBrick(req("-o:/x", NEW)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void healCountsPerBrickFromTheSummary() {
    ScriptedRunner r = new ScriptedRunner().ok(X + "volume heal vol1 info summary",
        fixture("gluster/volume-heal-info-summary.brick-down.xml"));
    HealStatus h = svc(r).getHeal(GetHealRequest.newBuilder().setVolume("vol1").build());
    assertThat(h.getBricksList()).extracting(b -> b.getBrick() + " " + b.getConnected())
        .containsExactly(B1 + " true", B2 + " false");
  }
}
