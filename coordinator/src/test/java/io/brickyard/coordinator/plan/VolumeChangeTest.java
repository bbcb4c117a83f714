package io.brickyard.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.Issue;
import io.brickyard.coordinator.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the plan makes of a spec volume that already exists (docs/day2.md), on the lab's day-2
 * specs: a growth gluster can make, drift, or an error on the spec's field for shapes it cannot reach.
 */
class VolumeChangeTest {
  private static final String B1 = "gluster1:/gluster/b1/brick";
  private static final String B2 = "gluster2:/gluster/b1/brick";
  private static final String B3 = "gluster3:/gluster/b1/brick";
  private static final String B4 = "gluster4:/gluster/b1/brick";

  private static String yaml(String name) throws Exception {
    return Files.readString(Path.of("..", "examples", name));
  }

  /** lab-day2.yaml's vol1 (replica 2 on gluster1, gluster2) in the expanded spec's four-node cluster. */
  private static String replica2OnFourNodes() throws Exception {
    String y = yaml("lab-day2-expanded.yaml").replace("    type: distributed-replicate\n", "    type: replicate\n")
        .replace("      - " + B3 + "\n", "").replace("      - " + B4 + "\n", "");
    assertThat(y).doesNotContain(B3).contains("gluster3");
    return y;
  }

  private static VolumeChange judge(String yaml, GlusterVolume have) throws Exception {
    ClusterSpec spec = SpecParser.parse(yaml, "day2.yaml");
    return VolumeChange.of(spec, spec.volumes().get(0), "volumes[0]", have);
  }

  /** A volume as gluster's volume info reports it (replicaCount 1 for a distribute volume). */
  private static GlusterVolume have(String type, int replica, int disperse, String... bricks) {
    GlusterVolume.Builder v = GlusterVolume.newBuilder().setName("vol1").setType(type).setStatus("Started")
        .setReplicaCount(replica).setDisperseCount(disperse).setBrickCount(bricks.length)
        .setRedundancyCount(disperse > 0 ? 1 : 0);
    for (String b : bricks) {
      v.addBricks(GlusterBrick.newBuilder().setName(b));
    }
    return v.build();
  }

  @Test
  void sameBricksAreNoChange() throws Exception {
    VolumeChange c = judge(yaml("lab-day2.yaml"), have("Replicate", 2, 0, B1, B2));
    assertThat(c.errors()).isEmpty();
    assertThat(c.grows()).isFalse();
    assertThat(c.dropped()).isEmpty();
  }

  @Test
  void aNewReplicaSetAppendedIsAGrowthThatNeedsARebalance() throws Exception {
    VolumeChange c = judge(yaml("lab-day2-expanded.yaml"), have("Replicate", 2, 0, B1, B2));
    assertThat(c.errors()).isEmpty();
    assertThat(c.grows()).isTrue();
    assertThat(c.newSets()).isTrue();
    assertThat(c.added()).containsExactly(B3, B4);
    assertThat(c.wanted()).containsExactly(B1, B2, B3, B4);
  }

  @Test
  void aNewSetBeforeTheExistingOnesIsAnError() throws Exception {
    String y = yaml("lab-day2-expanded.yaml").replace("      - " + B1 + "\n      - " + B2 + "\n      - " + B3 + "\n      - "
        + B4 + "\n", "      - " + B3 + "\n      - " + B4 + "\n      - " + B1 + "\n      - " + B2 + "\n");
    VolumeChange c = judge(y, have("Replicate", 2, 0, B1, B2));
    assertThat(c.errors()).extracting(Issue::path).containsExactly("volumes[0].bricks");
    assertThat(c.errors().get(0).message()).contains("[" + B1 + ", " + B2 + ", " + B3 + ", " + B4 + "]");
  }

  @Test
  void replicaTwoToThreeTakesOneNewBrickAtTheEndOfEachSet() throws Exception {
    String three = yaml("lab-day2-expanded.yaml").replace("    replica: 2\n", "    replica: 3\n")
        .replace("      - " + B2 + "\n", "      - " + B2 + "\n      - gluster3:/gluster/b2/brick\n")
        .replace("      - " + B4 + "\n", "      - " + B4 + "\n      - gluster1:/gluster/b2/brick\n");
    VolumeChange ok = judge(three, have("Distributed-Replicate", 2, 0, B1, B2, B3, B4));
    assertThat(ok.errors()).isEmpty();
    assertThat(ok.grows()).isTrue();
    assertThat(ok.newSets()).isFalse();
    assertThat(ok.added()).containsExactly("gluster3:/gluster/b2/brick", "gluster1:/gluster/b2/brick");
    // the first set's new brick put at its front: gluster appends it at the set's end
    String front = yaml("lab-day2-expanded.yaml").replace("    replica: 2\n", "    replica: 3\n")
        .replace("      - " + B1 + "\n", "      - gluster3:/gluster/b2/brick\n      - " + B1 + "\n")
        .replace("      - " + B4 + "\n", "      - " + B4 + "\n      - gluster1:/gluster/b2/brick\n");
    VolumeChange bad = judge(front, have("Distributed-Replicate", 2, 0, B1, B2, B3, B4));
    assertThat(bad.errors()).extracting(Issue::path).containsExactly("volumes[0].bricks");
    assertThat(bad.errors().get(0).message()).contains("each set's new brick at its end");
  }

  @Test
  void aTypeGlusterCannotConvertToIsAnErrorOnTheType() throws Exception {
    String y = replica2OnFourNodes().replace("    type: replicate\n    replica: 2\n",
        "    type: disperse\n    disperse: 3\n    redundancy: 1\n")
        .replace("      - " + B2 + "\n", "      - " + B2 + "\n      - " + B3 + "\n");
    VolumeChange c = judge(y, have("Replicate", 2, 0, B1, B2));
    assertThat(c.errors()).extracting(Issue::path).containsExactly("volumes[0].type");
  }

  @Test
  void droppedBricksAreDriftAndAddingWhileDroppingIsAnError() throws Exception {
    VolumeChange drift = judge(yaml("lab-day2.yaml"), have("Distributed-Replicate", 2, 0, B1, B2, B3, B4));
    assertThat(drift.errors()).isEmpty();
    assertThat(drift.dropped()).containsExactly(B3, B4);
    assertThat(drift.grows()).isFalse();
    String swap = replica2OnFourNodes().replace("      - " + B2 + "\n", "      - gluster3:/gluster/b2/brick\n");
    VolumeChange both = judge(swap, have("Replicate", 2, 0, B1, B2));
    assertThat(both.errors()).extracting(Issue::path).containsExactly("volumes[0].bricks");
    assertThat(both.errors().get(0).message()).contains("brickyard brick remove");
  }

  @Test
  void lowerReplicaWithoutDroppingIsAnErrorOnTheReplica() throws Exception {
    // the spec's 2 x 2 over the same four bricks gluster has as one set of replica 4
    VolumeChange c = judge(yaml("lab-day2-expanded.yaml"), have("Replicate", 4, 0, B1, B2, B3, B4));
    assertThat(c.errors()).extracting(Issue::path).containsExactly("volumes[0].replica");
    assertThat(List.of(c.volume())).containsExactly("vol1");
  }
}
