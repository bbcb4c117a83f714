package io.brickyard.coordinator.day2;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.BrickHealInfo;
import io.brickyard.api.agent.v1.HealEntry;
import io.brickyard.api.agent.v1.HealInfo;
import io.brickyard.api.coordinator.v1.SplitBrainResolution;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split-brain resolution commands shown for each entry: gluster's three policies, source-brick per copy. */
class HealReaderTest {
  @Test
  void eachEntryGetsTheThreePoliciesAndEveryBrickHoldingACopy() {
    HealInfo info = HealInfo.newBuilder().setVolume("vol1").setSplitBrain(true)
        .addBricks(BrickHealInfo.newBuilder().setBrick("gluster1:/gluster/b1/brick").setStatus("Connected").setEntries(2)
            .addFiles(HealEntry.newBuilder().setPath("/data/f1").setGfid("aa"))
            .addFiles(HealEntry.newBuilder().setPath("<gfid:9c2a6b1e-0000-4000-8000-000000000001>")))
        .addBricks(BrickHealInfo.newBuilder().setBrick("gluster2:/gluster/b1/brick").setStatus("Connected").setEntries(1)
            .addFiles(HealEntry.newBuilder().setPath("/data/f1").setGfid("aa")))
        .build();
    List<SplitBrainResolution> r = HealReader.resolutions(info);
    assertThat(r).extracting(SplitBrainResolution::getPath)
        .containsExactly("/data/f1", "gfid:9c2a6b1e-0000-4000-8000-000000000001");
    assertThat(r.get(0).getCommandsList()).containsExactly(
        "gluster volume heal vol1 split-brain bigger-file /data/f1",
        "gluster volume heal vol1 split-brain latest-mtime /data/f1",
        "gluster volume heal vol1 split-brain source-brick gluster1:/gluster/b1/brick /data/f1",
        "gluster volume heal vol1 split-brain source-brick gluster2:/gluster/b1/brick /data/f1");
    assertThat(r.get(1).getCommandsList()).last().asString()
        .isEqualTo("gluster volume heal vol1 split-brain source-brick gluster1:/gluster/b1/brick "
            + "gfid:9c2a6b1e-0000-4000-8000-000000000001");
  }
}
