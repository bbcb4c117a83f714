package io.brickyard.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.BrickView;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.PeerView;
import io.brickyard.api.coordinator.v1.VolumeView;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.brickyard.coordinator.apply.ApplyWorkflow;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The coordinator's cluster and apply metrics as Prometheus text, from status views and apply outcomes. */
class CoordinatorMetricsTest {
  private static ClusterStatus twoNodes(boolean brick2Online) {
    return ClusterStatus.newBuilder()
        .addNodes(NodeView.newBuilder().setName("gluster1").setReachable(true))
        .addNodes(NodeView.newBuilder().setName("gluster2").setReachable(brick2Online))
        .addPeers(PeerView.newBuilder().setNode("gluster1").setHostname("localhost").setConnected(true).setState("Peer in Cluster"))
        .addPeers(PeerView.newBuilder().setNode("gluster1").setHostname("gluster2").setConnected(brick2Online).setState("Peer in Cluster"))
        .addVolumes(VolumeView.newBuilder().setName("vol1").setType("Replicate").setStatus("Started")
            .addBricks(BrickView.newBuilder().setName("gluster1:/gluster/vol1/brick1/brick").setOnline(true)
                .setHealPendingEntries(brick2Online ? 0 : 7).setHealSplitBrainEntries(0))
            .addBricks(BrickView.newBuilder().setName("gluster2:/gluster/vol1/brick1/brick").setOnline(brick2Online)
                .setHealPendingEntries(brick2Online ? 0 : -1).setHealSplitBrainEntries(brick2Online ? 0 : -1)))
        .addVolumes(VolumeView.newBuilder().setName("vol2").setType("Distribute").setStatus("Stopped"))
        .build();
  }

  @Test
  void clusterStateBecomesGlusterPrometheusStyleSeries() {
    MetricsEndpoint ep = new MetricsEndpoint("brickyard_coordinator");
    AtomicReference<ClusterStatus> st = new AtomicReference<>(twoNodes(true));
    ClusterMetrics m = new ClusterMetrics(st::get, ep.registry());
    m.refresh();
    String t = ep.scrape();
    assertThat(t).contains("brickyard_node_reachable{hostname=\"gluster2\"} 1.0")
        .contains("gluster_peer_connected{hostname=\"gluster1\",state=\"Peer in Cluster\"} 1.0")
        .contains("gluster_volume_up{type=\"Replicate\",volume=\"vol1\"} 1.0")
        .contains("gluster_volume_up{type=\"Distribute\",volume=\"vol2\"} 0.0")
        .contains("gluster_brick_up{brick_path=\"/gluster/vol1/brick1/brick\",hostname=\"gluster2\",volume=\"vol1\"} 1.0")
        .contains("gluster_volume_heal_count{brick_path=\"/gluster/vol1/brick1/brick\",hostname=\"gluster1\",volume=\"vol1\"} 0.0")
        .contains("gluster_volume_split_brain_heal_count{brick_path=\"/gluster/vol1/brick1/brick\",hostname=\"gluster1\",volume=\"vol1\"} 0.0")
        .contains("brickyard_coordinator_gluster_reachable 1.0");

    st.set(twoNodes(false));
    m.refresh();
    t = ep.scrape();
    assertThat(t).contains("brickyard_node_reachable{hostname=\"gluster2\"} 0.0")
        .contains("gluster_peer_connected{hostname=\"gluster2\",state=\"Peer in Cluster\"} 0.0")
        .contains("gluster_brick_up{brick_path=\"/gluster/vol1/brick1/brick\",hostname=\"gluster2\",volume=\"vol1\"} 0.0")
        .contains("gluster_volume_heal_count{brick_path=\"/gluster/vol1/brick1/brick\",hostname=\"gluster1\",volume=\"vol1\"} 7.0")
        // unknown counts are absent, not -1
        .doesNotContain("gluster_volume_heal_count{brick_path=\"/gluster/vol1/brick1/brick\",hostname=\"gluster2\"");

    st.set(ClusterStatus.newBuilder().addNodes(NodeView.newBuilder().setName("gluster1").setReachable(false)).build());
    m.refresh();
    t = ep.scrape();
    assertThat(t).contains("brickyard_coordinator_gluster_reachable 0.0").doesNotContain("gluster_volume_up{")
        .doesNotContain("hostname=\"gluster2\"");
  }

  @Test
  void appliesAreAHistogramByOutcomeAndFailuresInARowAreCounted() {
    MetricsEndpoint ep = new MetricsEndpoint("brickyard_coordinator");
    ApplyMetrics a = new ApplyMetrics(ep.registry());
    ApplyWorkflow.Outcome failed = new ApplyWorkflow.Outcome.Done(ApplySummary.newBuilder().setSuccess(false).setFailed(1).build());
    ApplyWorkflow.Outcome blocked = new ApplyWorkflow.Outcome.Done(ApplySummary.newBuilder().setSuccess(false).build());
    ApplyWorkflow.Outcome ok = new ApplyWorkflow.Outcome.Done(ApplySummary.newBuilder().setSuccess(true).build());
    a.applied(failed, Duration.ofSeconds(12));
    a.applied(blocked, Duration.ofMillis(800));
    a.applied(new ApplyWorkflow.Outcome.Busy("x"), Duration.ofMillis(1));
    String t = ep.scrape();
    assertThat(t).contains("brickyard_coordinator_apply_consecutive_failures 2.0")
        .contains("brickyard_coordinator_apply_seconds_bucket{outcome=\"failed\",le=\"10.0\"} 0")
        .contains("brickyard_coordinator_apply_seconds_bucket{outcome=\"failed\",le=\"20.0\"} 1")
        .contains("brickyard_coordinator_apply_seconds_bucket{outcome=\"blocked\",le=\"1.0\"} 1")
        .contains("brickyard_coordinator_apply_seconds_count{outcome=\"busy\"} 1")
        .contains("brickyard_coordinator_apply_seconds_count{outcome=\"ok\"} 0");
    a.applied(ok, Duration.ofSeconds(40));
    assertThat(ep.scrape()).contains("brickyard_coordinator_apply_consecutive_failures 0.0")
        .contains("brickyard_coordinator_apply_seconds_bucket{outcome=\"ok\",le=\"60.0\"} 1")
        .contains("brickyard_coordinator_drift_items{kind=\"change\"} 0.0");
  }
}
