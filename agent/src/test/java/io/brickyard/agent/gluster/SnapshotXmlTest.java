package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.api.agent.v1.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot parsers on XML glusterfs 10.3 printed in the VM tier (fixtures/gluster/snapshot). */
class SnapshotXmlTest {
  private static String xml(String name) {
    return fixture("gluster/snapshot/" + name + ".xml");
  }

  @Test
  void createGivesNameAndUuidAndGlustersTimestampedNameWhenAsked() {
    assertThat(SnapshotXml.parseCreate(xml("create")))
        .isEqualTo(new SnapshotXml.Created("snap1", "9fdce923-1658-445e-9feb-92d4b1c4f318"));
    // without no-timestamp gluster appends _GMT-...: the agent always sends no-timestamp
    assertThat(SnapshotXml.parseCreate(xml("create-timestamped")).name()).isEqualTo("snapts_GMT-2026.12.01-19.43.52");
  }

  @Test
  void infoOfOneSnapshotOfAllAndOfAVolume() {
    Snapshot one = SnapshotXml.parseInfo(xml("info-snap")).get(0);
    assertThat(one).isEqualTo(Snapshot.newBuilder().setName("snap1").setUuid("9fdce923-1658-445e-9feb-92d4b1c4f318")
        .setDescription("first snapshot").setCreateTime("2026-12-01 19:43:36 +0000").setVolume("snapvol")
        .setSnapVolume("aa4400421fc54484a5a09693507c1303").setStatus("Stopped").setActivated(false).build());
    List<Snapshot> all = SnapshotXml.parseInfo(xml("info-all"));
    assertThat(all).extracting(Snapshot::getName).containsExactly("snap1", "snapts_GMT-2026.12.01-19.43.52");
    assertThat(all.get(1).getDescription()).isEmpty();
    // "info volume V": the origin is named once beside the list, not in each snapshot
    List<Snapshot> ofVolume = SnapshotXml.parseInfo(xml("info-volume"));
    assertThat(ofVolume).extracting(Snapshot::getVolume).containsExactly("snapvol", "snapvol");
    assertThat(ofVolume).isEqualTo(all);
    Snapshot active = SnapshotXml.parseInfo(xml("info-activated")).get(0);
    assertThat(active.getStatus()).isEqualTo("Started");
    assertThat(active.getActivated()).isTrue();
  }

  @Test
  void listNamesInOrderAndEmptyLists() {
    assertThat(SnapshotXml.parseList(xml("list-volume"))).containsExactly("snap1", "snapts_GMT-2026.12.01-19.43.52");
    assertThat(SnapshotXml.parseList(xml("list-empty-volume"))).isEmpty();
    // gluster removes the snapshot it restored
    assertThat(SnapshotXml.parseList(xml("list-after-restore"))).containsExactly("snapts_GMT-2026.12.01-19.43.52");
  }

  @Test
  void cloneNamesTheNewVolume() {
    assertThat(SnapshotXml.parseClone(xml("clone")))
        .isEqualTo(new SnapshotXml.Created("clone1", "9b693025-7d90-422a-8025-088e2d179860"));
  }

  @Test
  void glustersRefusalsCarryItsReason() {
    for (String[] c : new String[][] {
        {"create-duplicate", "Snapshot snap1 already exists"},
        {"create-plain", "Snapshot is supported only for thin provisioned LV. Ensure that all bricks of plainvol are thinly "
            + "provisioned LV."},
        {"info-missing", "Snapshot (nosuchsnap) does not exist"},
        {"activate-again", "Snapshot snap1 is already activated."},
        {"deactivate-again", "Snapshot snap1 is already deactivated."},
        {"restore-started", "Volume (snapvol) has been started. Volume needs to be stopped before restoring a snapshot."},
        {"clone-existing", "Volume with name:clone1 already exists"},
        {"delete-missing", "Snapshot (snap2) does not exist"}}) {
      assertThatThrownBy(() -> Xml.parseOk(xml(c[0]), "snapshot"))
          .as(c[0]).isInstanceOf(OperationFailedException.class).hasMessageContaining(c[1]);
    }
    // and the successful answers of the other changes are opRet 0
    for (String ok : List.of("activate", "deactivate", "restore", "delete", "create-2")) {
      assertThat(Xml.parseOk(xml(ok), ok)).isNotNull();
    }
  }
}
