package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.RebalanceNode;
import io.brickyard.api.agent.v1.RebalanceStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code volume rebalance VOL status --xml} and volume status's rebalance task, on real captured answers. */
class RebalanceXmlTest {
  @Test
  void aRunningRebalanceHasEachNodesCountersAndTheAggregate() {
    RebalanceStatus s = RebalanceXml.parse("vol1", fixture("gluster/rebalance-status.in-progress.xml"));
    assertThat(s.getStatus()).isEqualTo("in progress");
    assertThat(s.getNodesList()).extracting(RebalanceNode::getNode)
        .containsExactly("gluster4", "gluster3", "gluster2", "localhost");
    RebalanceNode g2 = s.getNodes(2);
    assertThat(g2.getFilesMoved()).isEqualTo(13);
    assertThat(g2.getFilesScanned()).isEqualTo(500);
    assertThat(g2.getStatus()).isEqualTo("in progress");
    assertThat(g2.getRuntimeSeconds()).isEqualTo(3.0);
    assertThat(s.getNodes(0).getStatus()).isEqualTo("completed"); // the new, empty bricks' nodes end at once
    assertThat(s.getAggregate().getFilesMoved()).isEqualTo(24);
    assertThat(s.getAggregate().getFilesScanned()).isEqualTo(1000);
    assertThat(VolumeGrowth.describe(s)).contains("gluster2: 500 scanned, 13 moved (36 B), 0 failures, in progress");
  }

  @Test
  void aCompletedRebalance() {
    RebalanceStatus s = RebalanceXml.parse("vol1", fixture("gluster/rebalance-status.completed.xml"));
    assertThat(s.getStatus()).isEqualTo("completed");
    assertThat(s.getNodesList()).extracting(RebalanceNode::getStatus).containsOnly("completed");
    assertThat(s.getAggregate().getFilesMoved()).isEqualTo(238);
    assertThat(s.getAggregate().getFailures()).isZero();
  }

  @Test
  void noRebalanceYetIsAStateNotAnError() {
    RebalanceStatus s = RebalanceXml.parse("vol1", fixture("gluster/rebalance-status.not-started.xml"));
    assertThat(s.getStatus()).isEqualTo(RebalanceXml.NOT_STARTED);
    assertThat(s.getNodesCount()).isZero();
  }

  @Test
  void aVolumeWithOneSetCannotBeRebalancedAndSaysSo() {
    String xml = fixture("gluster/rebalance-status.not-distributed.xml");
    assertThat(RebalanceXml.notStarted(xml)).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RebalanceXml.parse("vol1", xml))
        .hasMessageContaining("is not a distribute volume");
  }

  @Test
  void volumeStatusCarriesTheRunningRebalanceTask() {
    Map<String, VolumeXml.Status> st = VolumeXml.parseStatus(fixture("gluster/volume-status.rebalancing.xml"));
    assertThat(st.get("vol1").rebalance()).isEqualTo("in progress");
    List<GlusterVolume> info = VolumeXml.parseInfo(fixture("gluster/volume-info.2x2.xml"));
    GlusterVolume merged = VolumeXml.merge(info.get(0), st.get("vol1"), null);
    assertThat(merged.getRebalance()).isEqualTo("in progress");
    assertThat(merged.getType()).isEqualTo("Distributed-Replicate");
    assertThat(merged.getBricksList()).extracting(b -> b.getName()).containsExactly("gluster1:/gluster/b1/brick",
        "gluster2:/gluster/b1/brick", "gluster3:/gluster/b1/brick", "gluster4:/gluster/b1/brick");
    // a volume status without tasks (older capture): no rebalance
    assertThat(VolumeXml.parseStatus(fixture("gluster/volume-status.started.xml")).values())
        .extracting(VolumeXml.Status::rebalance).containsOnly("");
  }

  @Test
  void removeBrickStatusHasTheSameShape() {
    RebalanceStatus s = RebalanceXml.parse("vol1", fixture("gluster/remove-brick-status.in-progress.xml"));
    assertThat(s.getStatus()).isEqualTo("in progress");
    assertThat(s.getNodesList()).extracting(RebalanceNode::getNode).startsWith("gluster4", "gluster3");
    assertThat(s.getNodes(0).getFilesMoved()).isEqualTo(50);
    assertThat(s.getNodes(0).getBytesMoved()).isEqualTo(485804);
    assertThat(s.getNodes(0).getFilesScanned()).isEqualTo(501);
    RebalanceStatus done = RebalanceXml.parse("vol1", fixture("gluster/remove-brick-status.completed.xml"));
    assertThat(done.getStatus()).isEqualTo("completed");
    assertThat(done.getAggregate().getFailures()).isZero();
    RebalanceStatus none = RebalanceXml.parse("vol1", fixture("gluster/remove-brick-status.not-started.xml"));
    assertThat(none.getStatus()).isEqualTo(RebalanceXml.NOT_STARTED);
  }
}
