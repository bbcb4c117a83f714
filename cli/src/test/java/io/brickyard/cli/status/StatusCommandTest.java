package io.brickyard.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.BrickView;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.VolumeView;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  @Test
  void healPendingOnlyForVolumesThatSelfHeal() {
    ClusterStatus st = ClusterStatus.newBuilder()
        .addVolumes(VolumeView.newBuilder().setName("vol1").setType("Replicate").setLayout("1 x 2 = 2").setStatus("Started")
            .addBricks(BrickView.newBuilder().setName("gluster1:/b1").setOnline(false).setHealPendingEntries(-1))
            .addBricks(BrickView.newBuilder().setName("gluster2:/b1").setOnline(true).setPort(49152).setPid(7).setHealPendingEntries(3)))
        .addVolumes(VolumeView.newBuilder().setName("vol2").setType("Distribute").setLayout("2 x 1 = 2").setStatus("Started")
            .addBricks(BrickView.newBuilder().setName("gluster1:/b2").setOnline(true).setPort(49153).setPid(8).setHealPendingEntries(-1)))
        .build();
    StringWriter w = new StringWriter();
    StatusCommand.print(st, new PrintWriter(w, true));
    String out = w.toString();
    assertThat(out).contains("gluster1:/b1").containsPattern("gluster1:/b1 +OFFLINE port 0 +pid 0 +heal pending \\?\n")
        .containsPattern("gluster2:/b1 +online +port 49152 pid 7 +heal pending 3\n")
        .containsPattern("gluster1:/b2 +online +port 49153 pid 8\n");
    assertThat(out.lines().filter(l -> l.contains("gluster1:/b2"))).singleElement().asString().doesNotContain("heal");
  }

  @Test
  void unmanagedVolumesAreListedUnderDrift() {
    ClusterStatus st = ClusterStatus.newBuilder().addUnmanaged(io.brickyard.api.coordinator.v1.Drift.newBuilder()
        .setKind("volume").setName("vol2").setDescription("volume vol2 exists, not in the spec").setAction("left alone"))
        .build();
    StringWriter w = new StringWriter();
    StatusCommand.print(st, new PrintWriter(w, true));
    assertThat(w.toString()).contains("DRIFT from the spec\n  volume vol2 exists, not in the spec: left alone\n");
  }
}
