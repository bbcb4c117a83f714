package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.AddBricksRequest;
import io.brickyard.api.agent.v1.GlusterVolume;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The add-brick an AddBricksRequest needs, against real captured volume info (a 2 x 2 volume of the lab). */
class BrickAdditionTest {
  private static final String B1 = "gluster1:/gluster/b1/brick";
  private static final String B2 = "gluster2:/gluster/b1/brick";
  private static final String B3 = "gluster3:/gluster/b1/brick";
  private static final String B4 = "gluster4:/gluster/b1/brick";

  private static GlusterVolume twoByTwo() {
    return VolumeXml.parseInfo(fixture("gluster/volume-info.2x2.xml")).get(0);
  }

  private static AddBricksRequest req(int replica, String... bricks) {
    return AddBricksRequest.newBuilder().setVolume("vol1").setReplica(replica).addAllBricks(List.of(bricks)).build();
  }

  @Test
  void theSameBricksAddNothing() {
    BrickAddition a = BrickAddition.of(req(2, B1, B2, B3, B4), twoByTwo());
    assertThat(a.newBricks()).isEmpty();
  }

  @Test
  void aThirdSetIsAppended() {
    BrickAddition a = BrickAddition.of(req(2, B1, B2, B3, B4, "gluster1:/gluster/b2/brick", "gluster2:/gluster/b2/brick"),
        twoByTwo());
    assertThat(a.args()).containsExactly("volume", "add-brick", "vol1", "replica", "2", "gluster1:/gluster/b2/brick",
        "gluster2:/gluster/b2/brick");
    assertThat(a.newSets()).isTrue();
  }

  @Test
  void replicaThreeTakesOneBrickPerSetInSetOrder() {
    BrickAddition a = BrickAddition.of(req(3, B1, B2, "gluster3:/gluster/b2/brick", B3, B4, "gluster1:/gluster/b2/brick"),
        twoByTwo());
    assertThat(a.args()).containsExactly("volume", "add-brick", "vol1", "replica", "3", "gluster3:/gluster/b2/brick",
        "gluster1:/gluster/b2/brick");
    assertThat(a.newSets()).isFalse();
  }

  @Test
  void refusals() {
    GlusterVolume v = twoByTwo();
    assertThatThrownBy(() -> BrickAddition.of(req(2, B1, B2, B3), v)).isInstanceOf(RefusedException.class)
        .hasMessageContaining("never removed");
    assertThatThrownBy(() -> BrickAddition.of(req(2, B1, B2, B3, B4, "gluster1:/gluster/b2/brick"), v))
        .hasMessageContaining("not a whole number of sets of 2");
    assertThatThrownBy(() -> BrickAddition.of(req(2, "gluster1:/gluster/b2/brick", "gluster2:/gluster/b2/brick", B1, B2,
        B3, B4), v)).hasMessageContaining("must follow its existing ones");
    assertThatThrownBy(() -> BrickAddition.of(req(2, B2, B1, B3, B4), v)).hasMessageContaining("another order");
    assertThatThrownBy(() -> BrickAddition.of(req(1, B1, B2, B3, B4), v)).hasMessageContaining("lowering it");
    assertThatThrownBy(() -> BrickAddition.of(req(2, B1, B2, B3, B4, "-x:/a", "gluster2:/b"), v))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BrickAddition.of(AddBricksRequest.newBuilder().setVolume("--help").build(), v))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
