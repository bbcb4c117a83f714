package io.brickyard.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.GlusterVolumes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrickHealthTest {
  /** gluster's view to each node's offline bricks of the exported, started volumes. */
  @Test
  void offlineBricksOfExportedStartedVolumesOnly() {
    GlusterVolumes vols = GlusterVolumes.newBuilder()
        .addVolumes(volume("vol1", "Started", "g1:/b1", false, "g2:/b1", true))
        .addVolumes(volume("vol2", "Started", "g1:/b2", false, "g2:/b2", false))
        .addVolumes(volume("vol3", "Stopped", "g1:/b3", false, "g2:/b3", false))
        .addVolumes(volume("scratch", "Started", "g2:/s", false, "other:/s", false)).build();
    assertThat(BrickHealth.offline(vols, List.of("vol1", "vol3"), List.of("g1", "g2")))
        .isEqualTo(Map.of("g1", List.of("vol1:/b1")));
    assertThat(BrickHealth.offline(vols, List.of("vol1", "vol2", "scratch"), List.of("g1", "g2")))
        .isEqualTo(Map.of("g1", List.of("vol1:/b1", "vol2:/b2"), "g2", List.of("vol2:/b2", "scratch:/s")));
  }

  private static GlusterVolume volume(String name, String status, String brick1, boolean online1, String brick2,
      boolean online2) {
    GlusterVolume.Builder v = GlusterVolume.newBuilder().setName(name).setStatus(status);
    for (var b : List.of(Map.entry(brick1, online1), Map.entry(brick2, online2))) {
      String[] hp = b.getKey().split(":");
      v.addBricks(GlusterBrick.newBuilder().setName(b.getKey()).setHost(hp[0]).setPath(hp[1]).setOnline(b.getValue()));
    }
    return v.build();
  }
}
