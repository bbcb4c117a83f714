package io.brickyard.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.ConfiguredExport;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.api.coordinator.v1.Drift;
import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.nfs.ExportIds;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.spec.VipSpec;
import io.brickyard.coordinator.vip.VipMover;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The NFS part of the graph for the lab's cluster with two exports and a VIP per node: which steps,
 * in which order, with which inputs, and what a VIP away from home becomes.
 */
class NfsStepsTest {
  private static final NfsFacts FRESH = new NfsFacts(List.of(node("gluster1"), node("gluster2")));

  static ClusterSpec spec() throws Exception {
    return NfsStepsFixture.spec();
  }

  static NfsFacts.NodeNfs node(String name, String... vips) {
    NodeFacts.Builder f = NodeFacts.newBuilder();
    for (String v : vips) {
      f.addVirtualIps(HeldVip.newBuilder().setAddress(v).setInterface("eth0"));
    }
    return new NfsFacts.NodeNfs(name, true, "", f.build(), NfsStatus.getDefaultInstance());
  }

  private static Step step(List<Step> steps, StepKey key) {
    return steps.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no " + key));
  }

  private static List<Step> nfsSteps(ClusterSpec spec, NfsFacts facts, boolean moveVips, List<Drift> drift) {
    ExportIds ids = ExportIds.empty().assign(List.of("/vol1", "/vol2"));
    return DesiredSteps.nfs(spec, facts, ids, moveVips, new VipMover(null, java.time.Duration.ofSeconds(1)), drift);
  }

  @Test
  void eachNfsNodeGetsGaneshasDependenciesTheRecoveryBrickAndNfsThroughItsFirewall() throws Exception {
    ClusterSpec spec = spec();
    List<Step> g2 = DesiredSteps.forNode(spec, spec.node("gluster2").orElseThrow()).steps();
    assertThat(g2).extracting(Step::id).containsSubsequence("gluster2/services/glusterd", "gluster2/services/rpcbind",
        "gluster2/services/dbus", "gluster2/storage/brick:/var/lib/brickyard/nfs-state-brick");
    assertThat(step(g2, new StepKey.Firewall("gluster2")).description())
        .isEqualTo("allow glusterfs from 10.77.0.0/24; nfs from 10.77.0.0/25 (rich rules, permanent + runtime)");
  }

  @Test
  void theRecoveryVolumeIsAReplicaOverTheNfsNodesAndHoldsTheExportIdRegistry() throws Exception {
    ClusterSpec spec = spec();
    List<DesiredSteps.NodeSteps> nodes = spec.nodes().stream().map(n -> DesiredSteps.forNode(spec, n)).toList();
    List<Step> cluster = DesiredSteps.cluster(spec, spec.nodes().get(0), nodes, ClusterFacts.unknown(),
        ExportIds.empty().assign(List.of("/vol1", "/vol2")));
    Step volume = step(cluster, new StepKey.Volume("brickyard-nfs-state"));
    assertThat(volume.description()).isEqualTo("volume brickyard-nfs-state (replicate, 2 bricks)");
    assertThat(volume.needs()).contains(new StepKey.BrickDirectory("gluster2", "/var/lib/brickyard/nfs-state-brick"),
        new StepKey.Peer("gluster2"));
    assertThat(step(cluster, new StepKey.VolumeOptions("brickyard-nfs-state")).description())
        .contains("user.brickyard.export-ids=1:/vol1,2:/vol2");
  }

  @Test
  void onANodeTheStoreConfigServiceExportsThenItsVipComeInThatOrder() throws Exception {
    ClusterSpec spec = spec();
    List<Drift> drift = new ArrayList<>();
    List<Step> steps = nfsSteps(spec, FRESH, false, drift);
    assertThat(drift).isEmpty();
    assertThat(steps).extracting(Step::id).containsExactly(
        "gluster1/nfs/recovery-store", "gluster1/nfs/ganesha", "gluster1/nfs/export:/vol1", "gluster1/nfs/export:/vol2",
        "gluster1/services/nfs-ganesha",
        "gluster2/nfs/recovery-store", "gluster2/nfs/ganesha", "gluster2/nfs/export:/vol1", "gluster2/nfs/export:/vol2",
        "gluster2/services/nfs-ganesha",
        "gluster1/nfs/vip:10.77.0.201", "gluster2/nfs/vip:10.77.0.202");
    assertThat(step(steps, new StepKey.RecoveryStore("gluster1")).needs())
        .containsExactly(new StepKey.VolumeStart("brickyard-nfs-state"));
    assertThat(step(steps, new StepKey.Ganesha("gluster1")).needs()).contains(new StepKey.RecoveryStore("gluster1"));
    assertThat(step(steps, new StepKey.Ganesha("gluster1")).description()).contains("server epoch ending in 01");
    assertThat(step(steps, new StepKey.Ganesha("gluster2")).description()).contains("server epoch ending in 02");
    assertThat(step(steps, new StepKey.Service("gluster1", "nfs-ganesha")).needs())
        .as("ganesha's service state does not depend on its file: checked at once, so a stopped ganesha is one change")
        .isEmpty();
    assertThat(step(steps, new StepKey.Service("gluster1", "nfs-ganesha")).after()).as("a ganesha started here loads"
        + " every export file at once").containsExactly(new StepKey.Ganesha("gluster1"), new StepKey.Export("gluster1", "/vol1"),
        new StepKey.Export("gluster1", "/vol2"));
    Step export = step(steps, new StepKey.Export("gluster2", "/vol2"));
    assertThat(export.description()).isEqualTo("export vol2 as /vol2 (Export_Id 2, ro, root_squash, NFSv[4])");
    assertThat(export.needs()).containsExactly(new StepKey.Ganesha("gluster2"), new StepKey.VolumeStart("vol2"),
        new StepKey.VolumeOptions("brickyard-nfs-state"));
    assertThat(step(steps, new StepKey.Vip("gluster1", "10.77.0.201")).needs()).as("an address is announced only once"
        + " its node serves every export").containsExactly(new StepKey.Export("gluster1", "/vol1"),
        new StepKey.Export("gluster1", "/vol2"), new StepKey.RecoveryStore("gluster1"));
  }

  @Test
  void aVipAwayFromHomeIsDriftOrWithMoveVipsAMoveHome() throws Exception {
    ClusterSpec spec = spec();
    NfsFacts moved = new NfsFacts(List.of(node("gluster1"), node("gluster2", "10.77.0.201/24", "10.77.0.202/24")));
    List<Drift> drift = new ArrayList<>();
    List<Step> steps = nfsSteps(spec, moved, false, drift);
    assertThat(steps).extracting(Step::id).doesNotContain("gluster1/nfs/vip:10.77.0.201", "cluster/vip-move:10.77.0.201")
        .contains("gluster2/nfs/vip:10.77.0.202");
    assertThat(drift).singleElement().satisfies(d -> {
      assertThat(d.getKind()).isEqualTo("vip");
      assertThat(d.getDescription()).isEqualTo("virtual IP 10.77.0.201/24 is held by gluster2, its home is gluster1");
      assertThat(d.getAction()).startsWith("left there: apply --move-vips moves it home");
    });
    drift.clear();
    Step move = step(nfsSteps(spec, moved, true, drift), new StepKey.VipMove("10.77.0.201"));
    assertThat(drift).isEmpty();
    assertThat(move.target().name()).isEqualTo("gluster1");
    assertThat(move.description()).startsWith("move virtual IP 10.77.0.201/24 from gluster2 to its home gluster1");
  }

  @Test
  void theTakeoverLinkPointsAtTheRecordsOfTheVipsOnlyHolderElseItsHome() throws Exception {
    ClusterSpec spec = spec();
    NfsFacts moved = new NfsFacts(List.of(node("gluster1"), node("gluster2", "10.77.0.201/24")));
    VipSpec v201 = spec.nfs().orElseThrow().vips().get(0);
    assertThat(NfsSteps.recordsOf(v201, moved)).isEqualTo("gluster2");
    assertThat(NfsSteps.recordsOf(v201, FRESH)).isEqualTo("gluster1");
    NfsFacts twice = new NfsFacts(List.of(node("gluster1", "10.77.0.201/24"), node("gluster2", "10.77.0.201/24")));
    assertThat(NfsSteps.recordsOf(v201, twice)).isEqualTo("gluster1");
  }

  @Test
  void anExportBrickyardMadeThatTheSpecDroppedIsRemovedAndSaysSo() throws Exception {
    ClusterSpec spec = spec();
    NfsStatus st = NfsStatus.newBuilder().addConfiguredExports(ConfiguredExport.newBuilder().setExportId(3)
        .setPseudoPath("/scratch").setVolume("vol2")).build();
    NfsFacts facts = new NfsFacts(List.of(new NfsFacts.NodeNfs("gluster1", true, "", NodeFacts.getDefaultInstance(), st),
        node("gluster2")));
    Step remove = step(nfsSteps(spec, facts, false, new ArrayList<>()), new StepKey.ExportRemoval("gluster1", 3));
    assertThat(remove.description()).isEqualTo("remove export /scratch (Export_Id 3): brickyard made it and the spec"
        + " no longer has it; its clients lose access");
  }

  @Test
  void anAdminsLiveExportAndAnUnknownVipAreDriftLeftAlone() throws Exception {
    ClusterSpec spec = spec();
    NodeFacts g1 = NodeFacts.newBuilder().setGanesha(io.brickyard.api.agent.v1.GaneshaHealth.newBuilder().setUp(true)
            .addExports(io.brickyard.api.agent.v1.LiveExport.newBuilder().setExportId(1).setPseudoPath("/vol1"))
            .addExports(io.brickyard.api.agent.v1.LiveExport.newBuilder().setExportId(77).setPseudoPath("/by-hand")))
        .addVirtualIps(HeldVip.newBuilder().setAddress("10.77.0.250/24").setInterface("eth0")).build();
    NfsStatus ours = NfsStatus.newBuilder().addConfiguredExports(ConfiguredExport.newBuilder().setExportId(1)
        .setPseudoPath("/vol1").setVolume("vol1")).build();
    List<Drift> drift = Unmanaged.nfs(spec, new NfsFacts(List.of(new NfsFacts.NodeNfs("gluster1", true, "", g1, ours))));
    assertThat(drift).extracting(Drift::getDescription).containsExactly(
        "export /by-hand (Export_Id 77) is live in ganesha on gluster1, not made by brickyard",
        "virtual IP 10.77.0.250/24 is held by gluster1 (eth0), not in the spec");
    assertThat(drift).extracting(Drift::getAction).containsOnly("left alone");
  }

  @Test
  void theRecoveryVolumeIsNotDrift() throws Exception {
    ClusterSpec spec = spec();
    ClusterFacts facts = new ClusterFacts(true, "gluster1", List.of(), List.of(
        io.brickyard.api.agent.v1.GlusterVolume.newBuilder().setName("brickyard-nfs-state").build(),
        io.brickyard.api.agent.v1.GlusterVolume.newBuilder().setName("scratch").build()));
    assertThat(Unmanaged.find(spec, facts)).extracting(Drift::getName).containsExactly("scratch");
  }
}
