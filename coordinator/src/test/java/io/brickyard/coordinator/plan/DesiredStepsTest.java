package io.brickyard.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The steps the coordinator derives from the recipe's own spec (examples/recipe.yaml: LVM thin
 * provisioning, which the lab kernel cannot run): the chains, their order, and the agent requests.
 * The agent side of every one of these requests is proven on real device-mapper in the VM tier.
 */
class DesiredStepsTest {
  static ClusterSpec recipe() throws Exception {
    return SpecParser.parse(Path.of("..", "examples", "recipe.yaml"));
  }

  private static List<String> ids(List<Step> chain) {
    return chain.stream().map(s -> s.id() + (s.call() == null ? " (after)" : "")).toList();
  }

  @Test
  void recipeNodeChainsInDependencyOrder() throws Exception {
    ClusterSpec spec = recipe();
    DesiredSteps.NodeSteps g1 = DesiredSteps.forNode(spec, spec.node("gluster1").orElseThrow());
    assertThat(g1.target().address()).isEqualTo("gluster1:7443");
    assertThat(g1.chains()).hasSize(4);
    assertThat(ids(g1.chains().get(0))).containsExactly("gluster1/services/firewalld", "gluster1/firewall/allow");
    assertThat(ids(g1.chains().get(1))).containsExactly("gluster1/services/glusterd");
    assertThat(ids(g1.chains().get(2))).containsExactly(
        "gluster1/storage/pv:/dev/sda", "gluster1/storage/vg:data", "gluster1/storage/thinpool:data/thinpool",
        "gluster1/storage/thinlv:data/vol1", "gluster1/storage/xfs:/dev/data/vol1",
        "gluster1/storage/mount:/gluster/vol1/brick1", "gluster1/storage/brick:/gluster/vol1/brick1/brick");
    // vol2's chain only depends on the pool: it is not re-run, it waits for it.
    assertThat(ids(g1.chains().get(3))).containsExactly(
        "gluster1/storage/thinpool:data/thinpool (after)", "gluster1/storage/thinlv:data/vol2",
        "gluster1/storage/xfs:/dev/data/vol2", "gluster1/storage/mount:/gluster/vol2/brick1",
        "gluster1/storage/brick:/gluster/vol2/brick1/brick");
  }

  @Test
  void recipeRequestsCarryTheRecipesValues() throws Exception {
    ClusterSpec spec = recipe();
    DesiredSteps.NodeSteps g2 = DesiredSteps.forNode(spec, spec.node("gluster2").orElseThrow());
    Step fw = g2.chains().get(0).get(1);
    assertThat(fw.description()).isEqualTo("allow glusterfs from 10.130.0.0/16 (rich rules, permanent + runtime)");
    Step pool = g2.chains().get(2).get(2);
    assertThat(pool.description()).isEqualTo("thin pool data/thinpool (100%FREE, --zero n)");
    Step lv = g2.chains().get(2).get(3);
    assertThat(lv.description()).isEqualTo("thin LV data/vol1 (virtual 1G) in thinpool");
    Step xfs = g2.chains().get(2).get(4);
    assertThat(xfs.description()).isEqualTo("XFS on /dev/data/vol1 (-i size=512 -n size=8192)");
    assertThat(g2.chains().get(2).get(0).wipe()).isFalse();
  }

  @Test
  void clusterStepsProbeFromTheAnchorThenCreateConfigureStart() throws Exception {
    ClusterSpec spec = recipe();
    List<Step> steps = DesiredSteps.cluster(spec, spec.node("gluster1").orElseThrow());
    assertThat(steps).extracting(Step::id).containsExactly("cluster/peer:gluster2", "cluster/volume:vol1",
        "cluster/start:vol1", "cluster/volume:vol2", "cluster/start:vol2");
    assertThat(steps).allSatisfy(s -> assertThat(s.target().name()).isEqualTo("gluster1"));
    assertThat(steps.get(1).description()).isEqualTo("volume vol1 (replicate, 2 bricks)");
    assertThat(DesiredSteps.brickNodes(spec, spec.volume("vol1").orElseThrow())).containsExactly("gluster1", "gluster2");
  }
}
