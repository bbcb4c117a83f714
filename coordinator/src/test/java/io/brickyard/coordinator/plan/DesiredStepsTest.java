package io.brickyard.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graph the coordinator derives from the recipe's own spec (examples/recipe.yaml: LVM thin
 * provisioning, which the lab kernel cannot run): the steps, their order, their edges, and the
 * agent requests. The agent side of every one of these requests is proven on real device-mapper in
 * the VM tier.
 */
class DesiredStepsTest {
  static ClusterSpec recipe() throws Exception {
    return SpecParser.parse(Path.of("..", "examples", "recipe.yaml"));
  }

  private static List<DesiredSteps.NodeSteps> nodes(ClusterSpec spec) {
    return spec.nodes().stream().map(n -> DesiredSteps.forNode(spec, n)).toList();
  }

  private static Step step(List<Step> steps, StepKey key) {
    return steps.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no " + key));
  }

  @Test
  void recipeNodeStepsInOrderWithTheirInputs() throws Exception {
    ClusterSpec spec = recipe();
    DesiredSteps.NodeSteps g1 = DesiredSteps.forNode(spec, spec.node("gluster1").orElseThrow());
    assertThat(g1.target().address()).isEqualTo("gluster1:7443");
    assertThat(g1.steps()).extracting(Step::id).containsExactly(
        "gluster1/services/firewalld", "gluster1/firewall/allow", "gluster1/services/glusterd",
        "gluster1/storage/pv:/dev/sda", "gluster1/storage/vg:data", "gluster1/storage/thinpool:data/thinpool",
        "gluster1/storage/thinlv:data/vol1", "gluster1/storage/xfs:/dev/data/vol1",
        "gluster1/storage/mount:/gluster/vol1/brick1", "gluster1/storage/brick:/gluster/vol1/brick1/brick",
        "gluster1/storage/thinlv:data/vol2", "gluster1/storage/xfs:/dev/data/vol2",
        "gluster1/storage/mount:/gluster/vol2/brick1", "gluster1/storage/brick:/gluster/vol2/brick1/brick");
    List<Step> s = g1.steps();
    assertThat(step(s, new StepKey.Firewall("gluster1")).needs()).containsExactly(new StepKey.Service("gluster1", "firewalld"));
    assertThat(step(s, new StepKey.Service("gluster1", "glusterd")).needs()).isEmpty();
    // vol2's thin LV needs only the pool, not vol1's LV, filesystem or mount ...
    StepKey pool = new StepKey.Lvm("gluster1", StepKey.Lvm.Kind.THINPOOL, "data/thinpool");
    Step lv2 = step(s, new StepKey.Lvm("gluster1", StepKey.Lvm.Kind.THINLV, "data/vol2"));
    assertThat(lv2.needs()).containsExactly(pool);
    // ... but runs after the step before it: one step at a time per node
    assertThat(lv2.after()).containsExactly(new StepKey.BrickDirectory("gluster1", "/gluster/vol1/brick1/brick"));
    assertThat(step(s, new StepKey.Xfs("gluster1", "/dev/data/vol2")).needs()).containsExactly(lv2.key());
    assertThat(step(s, new StepKey.Mount("gluster1", "/gluster/vol2/brick1")).needs())
        .containsExactly(new StepKey.Xfs("gluster1", "/dev/data/vol2"));
    for (int i = 1; i < s.size(); i++) {
      assertThat(s.get(i).dependencies()).as(s.get(i).id()).contains(s.get(i - 1).key());
    }
  }

  @Test
  void recipeRequestsCarryTheRecipesValues() throws Exception {
    ClusterSpec spec = recipe();
    List<Step> g2 = DesiredSteps.forNode(spec, spec.node("gluster2").orElseThrow()).steps();
    assertThat(step(g2, new StepKey.Firewall("gluster2")).description())
        .isEqualTo("allow glusterfs from 10.130.0.0/16 (rich rules, permanent + runtime)");
    assertThat(step(g2, new StepKey.Lvm("gluster2", StepKey.Lvm.Kind.THINPOOL, "data/thinpool")).description())
        .isEqualTo("thin pool data/thinpool (100%FREE, --zero n)");
    assertThat(step(g2, new StepKey.Lvm("gluster2", StepKey.Lvm.Kind.THINLV, "data/vol1")).description())
        .isEqualTo("thin LV data/vol1 (virtual 1G) in thinpool");
    assertThat(step(g2, new StepKey.Xfs("gluster2", "/dev/data/vol1")).description())
        .isEqualTo("XFS on /dev/data/vol1 (-i size=512 -n size=8192)");
    assertThat(step(g2, new StepKey.Lvm("gluster2", StepKey.Lvm.Kind.PV, "/dev/sda")).wipe()).isFalse();
  }

  @Test
  void clusterStepsNeedTheirOwnBricksAndPeers() throws Exception {
    ClusterSpec spec = recipe();
    List<Step> steps = DesiredSteps.cluster(spec, spec.node("gluster1").orElseThrow(), nodes(spec), ClusterFacts.unknown());
    assertThat(steps).extracting(Step::id).containsExactly("cluster/peer:gluster2", "cluster/volume:vol1",
        "cluster/start:vol1", "cluster/volume:vol2", "cluster/start:vol2");
    assertThat(steps).allSatisfy(s -> assertThat(s.target().name()).isEqualTo("gluster1"));
    assertThat(steps.get(0).needs()).containsExactly(new StepKey.Service("gluster1", "glusterd"),
        new StepKey.Firewall("gluster1"), new StepKey.Service("gluster2", "glusterd"), new StepKey.Firewall("gluster2"));
    assertThat(steps.get(0).after()).as("probes start once every node's services and firewall are done")
        .containsExactly(new StepKey.Service("gluster1", "firewalld"), new StepKey.Service("gluster2", "firewalld"));
    Step vol1 = steps.get(1);
    assertThat(vol1.description()).isEqualTo("volume vol1 (replicate, 2 bricks)");
    assertThat(vol1.needs()).containsExactlyInAnyOrder(
        new StepKey.BrickDirectory("gluster1", "/gluster/vol1/brick1/brick"), new StepKey.Service("gluster1", "glusterd"),
        new StepKey.BrickDirectory("gluster2", "/gluster/vol1/brick1/brick"), new StepKey.Peer("gluster2"));
    assertThat(steps.get(2).needs()).containsExactly(new StepKey.Volume("vol1"));
  }

  @Test
  void anExistingVolumeNeedsNoNodeStepButStillRunsAfterThem() throws Exception {
    ClusterSpec spec = recipe();
    ClusterFacts facts = new ClusterFacts(true, "gluster1", List.of(),
        List.of(GlusterVolume.newBuilder().setName("vol1").build()));
    List<Step> steps = DesiredSteps.cluster(spec, spec.node("gluster1").orElseThrow(), nodes(spec), facts);
    Step vol1 = steps.get(1);
    assertThat(vol1.key()).isEqualTo(new StepKey.Volume("vol1"));
    assertThat(vol1.needs()).isEmpty();
    assertThat(vol1.after()).contains(new StepKey.BrickDirectory("gluster2", "/gluster/vol1/brick1/brick"),
        new StepKey.Peer("gluster2"));
    assertThat(steps.get(3).needs()).as("vol2 does not exist yet").isNotEmpty();
  }

  @Test
  void optionsAndStartBothNeedOnlyTheVolumeStartRunsAfterOptions() throws Exception {
    String yaml = java.nio.file.Files.readString(Path.of("..", "examples", "lab.yaml"))
        .replace("    replica: 2\n", "    replica: 2\n    options: {performance.cache-size: 64MB}\n");
    ClusterSpec spec = SpecParser.parse(yaml, "lab.yaml");
    List<Step> steps = DesiredSteps.cluster(spec, spec.nodes().get(0), nodes(spec), ClusterFacts.unknown());
    Step start = step(steps, new StepKey.VolumeStart("vol1"));
    assertThat(step(steps, new StepKey.VolumeOptions("vol1")).needs()).containsExactly(new StepKey.Volume("vol1"));
    assertThat(start.needs()).containsExactly(new StepKey.Volume("vol1"));
    assertThat(start.after()).containsExactly(new StepKey.VolumeOptions("vol1"));
  }
}
