package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gluster snapshots on real thin LVs (docs/snapshots.md, docs/vm-tier.md): one glusterd inside the
 * VM, the bricks made by the agent's LvmService and StorageService, every snapshot operation
 * through the real SnapshotService. One boot runs {@link SnapshotVmScenario}; each test asserts
 * one part of what it printed. Disks: vda 4G (VG data: 3G thin pool, 512M thick LV), vdb 512M (XFS
 * straight on the disk).
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotVmTest {
  private static final String THIN_BRICK = "snapnode:/gluster/snapvol/brick1/brick";
  @TempDir
  static Path tmp;
  private VmResults r;
  private String unavailable;

  @BeforeAll
  void bootTheVm() throws Exception {
    try {
      r = NodeVm.boot(tmp, new NodeVm.Guest(SnapshotVmScenario.class.getName(),
          (host, dir) -> new QemuVm(host, dir)
              .disk(QemuVm.sparseDisk(dir.resolve("vda.img"), 4 * NodeVm.GIB))
              .disk(QemuVm.sparseDisk(dir.resolve("vdb.img"), NodeVm.GIB / 2))
              .outDir(Files.createDirectories(dir.resolve("out")))
              .timeout(Duration.ofMinutes(15)),
          Path.of("target", "vm-captures", "snapshot"))).results();
    } catch (NodeVm.Unavailable e) {
      unavailable = e.getMessage();
    }
  }

  @BeforeEach
  void requireTheVm() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
  }

  private JsonObject brick(String check) {
    JsonObject o = r.get(check);
    assertThat(o.has("bricks")).as(check + ": " + o).isTrue();
    assertThat(o.getAsJsonArray("bricks")).as(check).hasSize(1);
    return o.getAsJsonArray("bricks").get(0).getAsJsonObject();
  }

  private JsonObject sums(String check) {
    return r.get(check).getAsJsonObject("sums");
  }

  private List<String> names(String check) {
    List<String> out = new ArrayList<>();
    JsonObject o = r.get(check);
    assertThat(o.has("snapshots")).as(check + ": " + o).isTrue();
    for (JsonElement e : o.getAsJsonArray("snapshots")) {
      out.add(e.getAsJsonObject().get("name").getAsString());
    }
    return out;
  }

  private void refused(String check, String code, String... parts) {
    JsonObject o = r.get(check);
    assertThat(r.str(check, "error")).as(check + ": " + o).isEqualTo(code);
    assertThat(r.str(check, "message")).as(check).contains(parts);
  }

  @Test
  void bricksMadeByTheAgentAndGlusterdInTheGuest() {
    assertThat(r.get("glusterd").get("up").getAsBoolean()).isTrue();
    assertThat(r.strings("recipe", "failed")).isEmpty();
    assertThat(r.strings("recipe", "changed")).containsExactly("pv", "vg", "pool", "lv", "xfs", "mount", "brickdir");
    assertThat(r.changed("volume-create")).isTrue();
    assertThat(r.changed("volume-start")).isTrue();
    for (String c : List.of("thick-lv", "thick-xfs", "thick-mount", "plain-xfs", "plain-mount", "thick-create", "thick-start",
        "plain-create", "plain-start", "mount-live")) {
      assertThat(r.get(c).get("exit").getAsInt()).as(c + ": " + r.get(c)).isZero();
    }
  }

  @Test
  void getSnapshotBricksTellsThinFromThickFromNoLvm() {
    JsonObject thin = brick("bricks-snapvol");
    assertThat(thin.get("brick").getAsString()).isEqualTo(THIN_BRICK);
    assertThat(thin.get("thin").getAsBoolean()).isTrue();
    assertThat(thin.get("vg").getAsString()).isEqualTo("data");
    assertThat(thin.get("lv").getAsString()).isEqualTo("snapvol");
    assertThat(thin.get("pool").getAsString()).isEqualTo("thinpool");
    assertThat(thin.get("problem").getAsString()).isEmpty();
    assertThat(thin.get("poolDataPercent").getAsDouble()).isGreaterThan(0).isLessThan(50);
    JsonObject thick = brick("bricks-thickvol");
    assertThat(thick.get("thin").getAsBoolean()).isFalse();
    assertThat(thick.get("problem").getAsString()).startsWith("brick snapnode:/gluster/thick/brick1/brick is on LV data/thick (lv_attr -wi-ao")
        .contains("a thick LV, not a thin one");
    JsonObject plain = brick("bricks-plainvol");
    assertThat(plain.get("problem").getAsString()).isEqualTo("brick snapnode:/gluster/plain/brick1/brick is on /dev/vdb (mounted at "
        + "/gluster/plain/brick1), which is not an LVM logical volume; gluster snapshots need every brick on its own thin LV");
  }

  @Test
  void createIsIdempotentAndRefusalsNameTheBrick() {
    assertThat(r.changed("create")).isTrue();
    assertThat(r.commands("create")).containsExactly("gluster --mode=script --timeout=120 --xml -- snapshot create snap1 snapvol "
        + "no-timestamp description first snapshot");
    assertThat(r.str("create", "summary")).matches("created snapshot snap1 of snapvol \\([0-9a-f-]{36}\\)");
    assertThat(r.changed("create-again")).isFalse();
    assertThat(r.commands("create-again")).isEmpty();
    refused("create-thick-refused", "FAILED_PRECONDITION", "cannot snapshot thickvol: brick snapnode:/gluster/thick/brick1/brick is on LV data/thick");
    refused("create-plain-refused", "FAILED_PRECONDITION", "cannot snapshot plainvol: brick snapnode:/gluster/plain/brick1/brick is on /dev/vdb");
    refused("create-bad-name", "INVALID_ARGUMENT", "must not start with '-'");
  }

  @Test
  void theActivatedSnapshotReadThroughFuseHoldsTheDataOfItsTime() {
    assertThat(sums("sums-before").keySet()).containsExactlyInAnyOrder("a.txt", "b.bin", "dir/c.txt");
    assertThat(sums("sums-after-write")).isNotEqualTo(sums("sums-before"));
    assertThat(r.changed("activate")).isTrue();
    assertThat(r.changed("activate-again")).isFalse();
    assertThat(r.get("info-activated").get("activated").getAsBoolean()).isTrue();
    assertThat(r.get("mount-snap").get("exit").getAsInt()).isZero();
    assertThat(sums("sums-snapshot")).isEqualTo(sums("sums-before"));
  }

  @Test
  void listAndInfo() {
    assertThat(names("list-volume")).containsExactly("snap1");
    assertThat(names("list-all")).containsExactly("snap1");
    JsonObject info = r.get("info-snap1");
    assertThat(info.get("volume").getAsString()).isEqualTo("snapvol");
    assertThat(info.get("description").getAsString()).isEqualTo("first snapshot");
    assertThat(info.get("activated").getAsBoolean()).isFalse();
    assertThat(info.get("createTime").getAsString()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000");
    refused("info-missing", "NOT_FOUND", "snapshot nosuchsnap does not exist");
  }

  @Test
  void aCloneIsANewVolumeWithTheSnapshotsData() {
    assertThat(r.changed("clone")).isTrue();
    refused("clone-again-refused", "FAILED_PRECONDITION", "a volume named clone1 already exists");
    assertThat(r.changed("clone-start")).isTrue();
    assertThat(r.get("mount-clone").get("exit").getAsInt()).isZero();
    assertThat(sums("sums-clone")).isEqualTo(sums("sums-before"));
  }

  @Test
  void restoreNeedsAStoppedVolumeAndBringsBackTheSnapshotsData() {
    assertThat(r.changed("deactivate")).isTrue();
    assertThat(r.changed("deactivate-again")).isFalse();
    refused("restore-started-refused", "FAILED_PRECONDITION", "volume snapvol is started: stop it before restoring snap1");
    assertThat(r.changed("volume-stop")).isTrue();
    assertThat(r.changed("restore")).isTrue();
    assertThat(r.commands("restore")).containsExactly("gluster --mode=script --timeout=120 --xml -- snapshot restore snap1");
    assertThat(names("list-after-restore")).doesNotContain("snap1");
    assertThat(r.changed("volume-start-after-restore")).isTrue();
    assertThat(sums("sums-restored")).isEqualTo(sums("sums-before"));
  }

  @Test
  void retentionDeletesOnlyTheSchedulesOwnOlderSnapshots() {
    JsonObject plan = r.get("retention-plan");
    List<String> prune = new ArrayList<>();
    plan.getAsJsonArray("prune").forEach(e -> prune.add(e.getAsString()));
    assertThat(prune).containsExactly("snapvol_hourly_20261201-190000", "snapvol_hourly_20261201-200000");
    assertThat(plan.get("due").getAsBoolean()).isFalse();
    for (String n : prune) {
      assertThat(r.changed("retention-delete-" + n)).isTrue();
    }
    assertThat(names("retention-after")).containsExactlyInAnyOrder("snapvol_hourly_20261201-210000", "snapvol_hourly_manual",
        "snapvol_hourly_20261201-190000_copy");
    assertThat(r.changed("delete-missing")).isFalse();
  }
}
