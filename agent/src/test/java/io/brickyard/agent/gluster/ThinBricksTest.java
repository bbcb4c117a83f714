package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.SnapshotBrick;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a brick sits on, from the findmnt and lvs output of the VM tier's guest
 * (fixtures/gluster/snapshot/raw): a thin LV, a thick LV, XFS straight on /dev/vdb. The map of
 * device links stands in for the guest's /dev (/dev/mapper/data-x and /dev/data/x both link to
 * /dev/dm-N).
 */
class ThinBricksTest {
  static final String FINDMNT = "findmnt --json --list -o TARGET,SOURCE,FSTYPE,OPTIONS,MAJ:MIN --target ";
  static final String LVS = "lvs --reportformat json --units b --nosuffix -o vg_name,lv_name,lv_attr,lv_size,pool_lv,origin,"
      + "data_percent,metadata_percent,lv_path,lv_uuid,lv_metadata_size,chunk_size,lv_profile,zero,lv_tags";
  static final Map<String, String> DEV = Map.of(
      "/dev/mapper/data-snapvol", "/dev/dm-4", "/dev/data/snapvol", "/dev/dm-4",
      "/dev/mapper/data-thick", "/dev/dm-5", "/dev/data/thick", "/dev/dm-5");

  static String raw(String name) {
    return fixture("gluster/snapshot/raw/" + name);
  }

  static ScriptedRunner guest() {
    return new ScriptedRunner()
        .ok(FINDMNT + "/gluster/snapvol/brick1/brick", raw("findmnt-thin.json"))
        .ok(FINDMNT + "/gluster/thick/brick1/brick", raw("findmnt-thick.json"))
        .ok(FINDMNT + "/gluster/plain/brick1/brick", raw("findmnt-plain.json"))
        .on(FINDMNT + "/gluster/gone/brick", 1, "", "")
        .ok(LVS, raw("lvs.json"));
  }

  static ThinBricks thin() {
    return new ThinBricks(p -> DEV.getOrDefault(p, p));
  }

  @Test
  void localBricksAreThoseOfThisNodesUuid() {
    String local = PoolXml.parse(raw("pool-list.xml")).getLocalUuid();
    String info = raw("volume-info-all.xml");
    assertThat(ThinBricks.localBricks(info, "thickvol", local)).containsExactly("snapnode:/gluster/thick/brick1/brick");
    assertThat(ThinBricks.localBricks(info, "snapvol", local)).containsExactly("snapnode:/gluster/snapvol/brick1/brick");
    assertThat(ThinBricks.localBricks(info, "snapvol", "00000000-0000-0000-0000-000000000000")).isEmpty();
    assertThat(ThinBricks.localBricks(info, "nosuchvol", local)).isEmpty();
  }

  @Test
  void thinThickAndNoLvmAreToldApartWithReasons() {
    ScriptedRunner r = guest();
    List<SnapshotBrick> b = thin().inspect(new Operation(r, true), List.of("snapnode:/gluster/snapvol/brick1/brick",
        "snapnode:/gluster/thick/brick1/brick", "snapnode:/gluster/plain/brick1/brick", "snapnode:/gluster/gone/brick"));
    SnapshotBrick t = b.get(0);
    assertThat(t.getThin()).isTrue();
    assertThat(t.getProblem()).isEmpty();
    assertThat(List.of(t.getVg(), t.getLv(), t.getPool(), t.getMountPoint(), t.getDevice()))
        .containsExactly("data", "snapvol", "thinpool", "/gluster/snapvol/brick1", "/dev/mapper/data-snapvol");
    assertThat(t.getPoolDataPercent()).isGreaterThan(0);
    assertThat(t.getPoolSizeBytes()).isEqualTo(3L << 30);
    assertThat(b.get(1).getProblem()).isEqualTo("brick snapnode:/gluster/thick/brick1/brick is on LV data/thick (lv_attr "
        + "-wi-ao----), a thick LV, not a thin one; gluster snapshots need every brick on a thin LV of a thin pool");
    assertThat(b.get(2).getProblem()).isEqualTo("brick snapnode:/gluster/plain/brick1/brick is on /dev/vdb (mounted at "
        + "/gluster/plain/brick1), which is not an LVM logical volume; gluster snapshots need every brick on its own thin LV");
    assertThat(b.get(3).getProblem()).startsWith("brick snapnode:/gluster/gone/brick: its path does not exist on this node");
    // one lvs for all bricks
    assertThat(r.ranJoined().stream().filter(c -> c.startsWith("lvs")).count()).isEqualTo(1);
  }
}
