package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.BrickHealInfo;
import io.brickyard.api.agent.v1.HealInfo;
import org.junit.jupiter.api.Test;

/** {@code volume heal VOL info split-brain --xml} on a real captured answer (the lab's 2 x 2 vol1). */
class HealInfoXmlTest {
  @Test
  void everyBrickWithItsStatusAndCount() {
    HealInfo h = HealInfoXml.parse("vol1", true, fixture("gluster/heal-info-split-brain.none.xml"));
    assertThat(h.getBricksList()).extracting(BrickHealInfo::getBrick).containsExactly("gluster1:/gluster/b1/brick",
        "gluster2:/gluster/b1/brick", "gluster3:/gluster/b1/brick", "gluster4:/gluster/b1/brick");
    assertThat(h.getBricksList()).extracting(BrickHealInfo::getStatus).containsOnly("Connected");
    assertThat(h.getBricksList()).extracting(BrickHealInfo::getEntries).containsOnly(0L);
    assertThat(h.getBricksList()).allSatisfy(b -> assertThat(b.getFilesList()).isEmpty());
  }

  @Test
  void entriesPendingHealAreListedPerBrick() {
    HealInfo h = HealInfoXml.parse("vol1", false, fixture("gluster/heal-info.pending.xml"));
    BrickHealInfo g1 = h.getBricks(0);
    assertThat(g1.getBrick()).isEqualTo("gluster1:/gluster/b1/brick");
    assertThat(g1.getStatus()).isEqualTo("Connected");
    assertThat(g1.getFilesCount()).isEqualTo(59).isEqualTo((int) g1.getEntries());
    assertThat(g1.getFiles(0).getPath()).isEqualTo("/live/f36");
    assertThat(g1.getFiles(0).getGfid()).isEqualTo("26b5bc23-2e5d-4059-9e9c-bb309867669a");
    assertThat(h.getBricksList()).filteredOn(b -> !b.getBrick().startsWith("gluster1:"))
        .allSatisfy(b -> assertThat(b.getEntries()).isZero());
  }
}
