package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterVolume;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsers on real gluster 10.3 --xml output (fixtures/gluster/README.md says how each was captured). */
class GlusterXmlTest {
  private static final String B1 = "nsvc1:/tmp/netsvc-lab/w/h1/bricks/vol1";
  private static final String B2 = "nsvc2:/tmp/netsvc-lab/w/h2/bricks/vol1";

  @Test
  void poolListMarksSelfAndPeers() {
    GlusterPool one = PoolXml.parse(fixture("gluster/pool-list.single.xml"));
    assertThat(one.getPeersList()).singleElement().satisfies(p -> assertThat(p.getSelf()).isTrue());
    GlusterPool two = PoolXml.parse(fixture("gluster/pool-list.two.xml"));
    assertThat(two.getGlusterdReachable()).isTrue();
    assertThat(two.getLocalUuid()).isEqualTo("921ab5d1-e84f-469d-988e-0076b7542b8d");
    assertThat(two.getPeersList()).hasSize(2);
    assertThat(two.getPeers(0).getHostname()).isEqualTo("nsvc2");
    assertThat(two.getPeers(0).getHostnamesList()).containsExactly("nsvc2");
    assertThat(two.getPeers(0).getState()).isEqualTo("Peer in Cluster");
    assertThat(two.getPeers(0).getConnected()).isTrue();
    assertThat(two.getPeers(0).getSelf()).isFalse();
    assertThat(PoolXml.parse(fixture("gluster/pool-list.two.from-h2.xml")).getPeers(0).getHostname()).isEqualTo("nsvc1");
  }

  @Test
  void opRetMinusOneFailsEvenThoughTheCliExitedZero() {
    assertThatThrownBy(() -> Xml.parseOk(fixture("gluster/peer-probe.unresolvable.xml"), "peer probe"))
        .isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("Probe returned with Transport endpoint is not connected");
    assertThatThrownBy(() -> VolumeXml.parseGet(fixture("gluster/volume-get.nosuch.xml")))
        .hasMessageContaining("Volume nosuch does not exist");
  }

  @Test
  void volumeInfoLayouts() {
    assertThat(VolumeXml.parseInfo(fixture("gluster/volume-info.none.xml"))).isEmpty();
    GlusterVolume created = VolumeXml.parseInfo(fixture("gluster/volume-info.created.xml")).get(0);
    assertThat(created.getName()).isEqualTo("vol1");
    assertThat(created.getStatus()).isEqualTo("Created");
    assertThat(created.getType()).isEqualTo("Replicate");
    assertThat(created.getReplicaCount()).isEqualTo(2);
    assertThat(created.getTransport()).isEqualTo("tcp");
    assertThat(created.getBricksList()).extracting(GlusterBrick::getName).containsExactly(B1, B2);
    assertThat(created.getBricks(1).getHost()).isEqualTo("nsvc2");
    assertThat(created.getBricks(1).getPath()).isEqualTo("/tmp/netsvc-lab/w/h2/bricks/vol1");
    assertThat(created.getBricks(0).getHealPendingEntries()).isEqualTo(-1);
    assertThat(created.getOptionsMap()).containsEntry("nfs.disable", "on").hasSize(5);

    Map<String, GlusterVolume> many = new java.util.HashMap<>();
    VolumeXml.parseInfo(fixture("gluster/volume-info.many.xml")).forEach(v -> many.put(v.getName(), v));
    assertThat(many).containsOnlyKeys("varb", "vdist", "vdr", "vec", "vol1");
    assertThat(many.get("varb").getArbiterCount()).isEqualTo(1);
    assertThat(many.get("varb").getBricksList()).extracting(GlusterBrick::getArbiter).containsExactly(false, false, true);
    assertThat(many.get("vec").getType()).isEqualTo("Disperse");
    assertThat(many.get("vec").getDisperseCount()).isEqualTo(3);
    assertThat(many.get("vec").getRedundancyCount()).isEqualTo(1);
    assertThat(many.get("vdist").getType()).isEqualTo("Distribute");
    assertThat(many.get("vdist").getDistCount()).isEqualTo(2);
    assertThat(many.get("vdr").getType()).isEqualTo("Distributed-Replicate");
    assertThat(many.get("vol1").getStatus()).isEqualTo("Started");
  }

  @Test
  void volumeStatusBricksAndSelfHealDaemons() {
    assertThat(VolumeXml.parseStatus(fixture("gluster/volume-status.none.xml"))).isEmpty();
    assertThat(VolumeXml.parseStatus(fixture("gluster/volume-status.created.xml"))).isEmpty();
    VolumeXml.Status s = VolumeXml.parseStatus(fixture("gluster/volume-status.started.xml")).get("vol1");
    assertThat(s.bricks()).containsOnlyKeys(B1, B2);
    assertThat(s.bricks().get(B1).getOnline()).isTrue();
    assertThat(s.bricks().get(B1).getPort()).isEqualTo(54229);
    assertThat(s.bricks().get(B2).getPid()).isEqualTo(5718);
    assertThat(s.shd()).hasSize(2).allMatch(d -> d.getOnline() && d.getPid() > 0);
    assertThat(s.shd().get(0).getHost()).isEqualTo("localhost");
    VolumeXml.Status down = VolumeXml.parseStatus(fixture("gluster/volume-status.brick-down.xml")).get("vol1");
    assertThat(down.bricks().get(B2).getOnline()).isFalse();
    assertThat(down.bricks().get(B2).getPort()).isZero();
    assertThat(down.bricks().get(B1).getOnline()).isTrue();
  }

  @Test
  void healSummaryUnknownForDownBrick() {
    assertThat(VolumeXml.parseHealSummary(fixture("gluster/volume-heal-info-summary.xml")))
        .containsEntry(B1, new VolumeXml.HealCounts(0, 0)).containsEntry(B2, new VolumeXml.HealCounts(0, 0));
    assertThat(VolumeXml.parseHealSummary(fixture("gluster/volume-heal-info-summary.brick-down.xml")))
        .containsEntry(B1, new VolumeXml.HealCounts(0, 0)).containsEntry(B2, VolumeXml.HealCounts.UNKNOWN);
  }

  /** A real split-brain from the lab: counted on both bricks, and inside gluster's total. */
  @Test
  void healSummaryCountsSplitBrain() {
    assertThat(VolumeXml.parseHealSummary(fixture("gluster/volume-heal-info-summary.split-brain.xml")))
        .containsEntry("gluster1:/gluster/vol1/brick1/brick", new VolumeXml.HealCounts(1, 1))
        .containsEntry("gluster2:/gluster/vol1/brick1/brick", new VolumeXml.HealCounts(1, 1));
  }

  @Test
  void mergeFillsStatusAndHeal() {
    GlusterVolume info = VolumeXml.parseInfo(fixture("gluster/volume-info.started.xml")).get(0);
    GlusterVolume merged = VolumeXml.merge(info,
        VolumeXml.parseStatus(fixture("gluster/volume-status.brick-down.xml")).get("vol1"),
        VolumeXml.parseHealSummary(fixture("gluster/volume-heal-info-summary.brick-down.xml")));
    assertThat(merged.getBricksList()).extracting(GlusterBrick::getOnline).containsExactly(true, false);
    assertThat(merged.getBricksList()).extracting(GlusterBrick::getHealPendingEntries).containsExactly(0L, -1L);
    assertThat(merged.getBricksList()).extracting(GlusterBrick::getHealSplitBrainEntries).containsExactly(0L, -1L);
    assertThat(merged.getSelfHealDaemonsList()).isNotEmpty();
  }

  @Test
  void volumeGetStripsDefaultMarker() {
    Map<String, String> opts = VolumeXml.parseGet(fixture("gluster/volume-get-all.xml"));
    assertThat(opts).hasSizeGreaterThan(300)
        .containsEntry("performance.cache-size", "64MB")
        .containsEntry("cluster.min-free-disk", "10%")
        .containsEntry("nfs.disable", "on")
        .containsEntry("performance.cache-priority", "");
    assertThat(opts.values()).noneMatch(v -> v.endsWith("(DEFAULT)"));
    assertThat(List.copyOf(opts.keySet())).doesNotHaveDuplicates();
  }
}
