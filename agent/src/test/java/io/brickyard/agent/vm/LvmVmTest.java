package io.brickyard.agent.vm;

import static io.brickyard.agent.vm.NodeVm.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.brickyard.common.storage.Sizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node preparation on real device-mapper and XFS: this host's kernel has no device-mapper, so
 * the recipe runs in a throw-away qemu VM with Debian's kernel (see docs/vm-tier.md), through
 * the real LvmService and StorageService. One boot runs the whole {@link VmScenario}; each test
 * method below asserts one part of what it printed.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LvmVmTest {
  private static final String BRICK_OPTS = "rw,noatime,nouuid,inode64,nofail,nosuid,nodev";
  @TempDir
  static Path tmp;
  private VmResults r;
  private Map<String, JsonObject> lvs;

  private String unavailable;

  @BeforeAll
  void bootTheVm() throws Exception {
    try {
      NodeVm.Run run = NodeVm.boot(tmp);
      r = run.results();
      lvs = run.lvs();
    } catch (NodeVm.Unavailable e) {
      unavailable = e.getMessage();
    }
  }

  /** Only when this host cannot run the guest kernel at all: every test SKIPPED, with the reason. */
  @BeforeEach
  void requireTheVm() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
  }

  private static String fstabLine(String dev, String mp, String opts) {
    return dev + " " + mp + " xfs " + opts + " 0 0 # managed by brickyard";
  }

  private JsonObject lv(String name) {
    assertThat(lvs).as("lvs.json rows").containsKey(name);
    return lvs.get(name);
  }

  private JsonObject mount(String check, String target) {
    for (JsonElement e : r.get(check).getAsJsonArray("mounts")) {
      if (e.getAsJsonObject().get("target").getAsString().equals(target)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError(check + ": nothing mounted at " + target + ": " + r.get(check));
  }

  private static List<String> without(List<String> all, String... drop) {
    List<String> l = new ArrayList<>(all);
    l.removeAll(List.of(drop));
    return l;
  }

  @Test
  void dirtyDiskIsRefusedByBothServicesAndLeftIntact() {
    for (String c : List.of("pv-dirty-refused", "xfs-dirty-refused")) {
      assertThat(r.str(c, "error")).as(c).isEqualTo("FAILED_PRECONDITION");
      assertThat(r.str(c, "message")).as(c).contains("/dev/vdb", "ext4", "wipe");
    }
    assertThat(r.strings("dirty-signatures-after-refusal", "signatures")).containsExactly("ext4");
    assertThat(r.str("xfs-on-pv-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("xfs-on-pv-refused", "message")).contains("/dev/vda", "LVM2_member", "wipe does not override");
  }

  @Test
  void recipeResumesAfterPvcreateAndCreatesTheRest() {
    assertThat(r.commands("a-pv")).containsExactly("pvcreate /dev/vda");
    assertThat(r.strings("recipe-first", "failed")).isEmpty();
    assertThat(r.strings("recipe-first", "changed")).as("all but the PV made before the 'interruption'")
        .isEqualTo(without(r.strings("recipe-first", "steps"), "pv"));
    assertThat(r.commands("pv")).isEmpty();
    assertThat(r.commands("vg")).containsExactly("vgcreate data /dev/vda");
    assertThat(r.commands("pool")).containsExactly(
        "lvcreate --type thin-pool -l 100%FREE --zero n --addtag brickyard -n thinpool data",
        "brickyard:write-file /etc/lvm/profile/brickyard-autoextend-80-20.profile",
        "lvchange --metadataprofile brickyard-autoextend-80-20 data/thinpool");
    assertThat(r.commands("vol1")).containsExactly("lvcreate --thin --virtualsize 1G --addtag brickyard -n vol1 data/thinpool");
    assertThat(r.commands("vol3")).containsExactly("lvcreate --thin --virtualsize 10G --addtag brickyard -n vol3 data/thinpool");
    assertThat(r.strings("vol1", "warnings")).isEmpty();
    assertThat(r.commands("xfs-vol1")).containsExactly("mkfs.xfs -i size=512 -n size=8192 /dev/data/vol1");
    assertThat(r.commands("xfs-vol2")).containsExactly("mkfs.xfs -i size=512 -n size=8192 /dev/data/vol2");
    assertThat(r.commands("brick-vol1")).containsExactly("brickyard:mkdir -p /gluster/vol1/brick1/brick");
  }

  @Test
  void bricksAreMountedFromAtomicallyEditedFstabWithBackup() {
    String vol1 = fstabLine("/dev/data/vol1", "/gluster/vol1/brick1", BRICK_OPTS);
    String vol2 = fstabLine("/dev/data/vol2", "/gluster/vol2/brick1", BRICK_OPTS);
    assertThat(r.commands("mount-vol1")).as("the fstab line only after the mount succeeded").endsWith(
        "mount -t xfs -o " + BRICK_OPTS + " /dev/data/vol1 /gluster/vol1/brick1", "brickyard:fstab add " + vol1);
    String initial = r.str("fstab-initial", "fstab");
    assertThat(r.str("fstab-initial", "backup")).isEqualTo("<none>");
    assertThat(initial).isEqualTo("# /etc/fstab of the vm-tier guest\n" + VmScenario.FOREIGN_LINE + "\n");
    assertThat(r.str("fstab-after-recipe", "fstab")).isEqualTo(initial + vol1 + "\n" + vol2 + "\n");
    assertThat(r.str("fstab-after-recipe", "backup")).as("the file before the last edit (vol2's line)")
        .isEqualTo(initial + vol1 + "\n");
    for (String v : List.of("vol1", "vol2")) {
      JsonObject m = mount("mounts-after-recipe", "/gluster/" + v + "/brick1");
      assertThat(m.get("source").getAsString()).isEqualTo("/dev/mapper/data-" + v);
      assertThat(m.get("fsType").getAsString()).isEqualTo("xfs");
      assertThat(m.get("options").getAsString()).startsWith("rw,nosuid,nodev,noatime").contains("nouuid");
    }
    assertThat(r.str("remove-mounted-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("remove-mounted-refused", "message")).contains("data/vol1", "open");
  }

  @Test
  void thinSnapshotIsMountedReadOnlyWithNouuid() {
    assertThat(r.commands("snap")).containsExactly("lvcreate -s --setactivationskip n --addtag brickyard --name snap data/vol1");
    String attr = lv("snap").get("lv_attr").getAsString();
    assertThat(attr).startsWith("V");
    assertThat(attr.charAt(4)).as("active, lv_attr " + attr).isEqualTo('a');
    assertThat(attr.charAt(9)).as("no activation skip, lv_attr " + attr).isNotEqualTo('k');
    assertThat(lv("snap").get("origin").getAsString()).isEqualTo("vol1");
    assertThat(r.commands("mount-snap")).endsWith("mount -t xfs -o ro,nouuid /dev/data/snap " + VmScenario.SNAP_MOUNT,
        "brickyard:fstab add " + fstabLine("/dev/data/snap", VmScenario.SNAP_MOUNT, "ro,nouuid"));
    assertThat(r.str("uuids", "snap")).as("why nouuid is needed").isNotEmpty().isEqualTo(r.str("uuids", "vol1"));
    JsonObject m = mount("mounts-with-snap", VmScenario.SNAP_MOUNT);
    assertThat(m.get("source").getAsString()).isEqualTo("/dev/mapper/data-snap");
    assertThat(m.get("options").getAsString()).startsWith("ro,").contains("nouuid");
    assertThat(mount("mounts-with-snap", "/gluster/vol1/brick1").get("options").getAsString()).startsWith("rw,");
  }

  @Test
  void lvsShowsThinPoolAndThinVolumesWithExactSizes() {
    assertThat(lv("thinpool").get("lv_attr").getAsString()).startsWith("t");
    assertThat(lv("thinpool").get("lv_profile").getAsString()).isEqualTo("brickyard-autoextend-80-20");
    assertThat(lv("thinpool").get("zero").getAsString()).as("--zero n").isEmpty();
    for (String v : List.of("vol1", "vol2", "vol3")) {
      assertThat(lv(v).get("lv_attr").getAsString()).as(v).startsWith("V");
      assertThat(lv(v).get("pool_lv").getAsString()).as(v).isEqualTo("thinpool");
    }
    assertThat(lv("vol1").get("lv_size").getAsLong()).isEqualTo(GIB);
    assertThat(lv("vol2").get("lv_size").getAsLong()).isEqualTo(GIB);
    assertThat(lv("vol3").get("lv_size").getAsLong()).isEqualTo(10 * GIB);
    assertThat(lvs).as("the dry run created nothing").doesNotContainKey("vol4");
    assertThat(r.changed("dryrun-vol4")).isTrue();
    assertThat(r.get("dryrun-vol4").get("plannedOnly").getAsBoolean()).isTrue();
    assertThat(r.commands("dryrun-vol4")).containsExactly("lvcreate --thin --virtualsize 2G --addtag brickyard -n vol4 data/thinpool");
  }

  @Test
  void overProvisioningIsReportedWithNumbers() {
    long pool = lv("thinpool").get("lv_size").getAsLong();
    List<String> w = r.strings("vol3", "warnings");
    assertThat(w).hasSize(1);
    assertThat(w.get(0)).contains("data/thinpool", "over-provisioned", "12.00 GiB", "12884901888",
        "vol3 10.00 GiB", Sizes.human(pool), Long.toString(pool));
    assertThat(r.strings("rerun-vol3", "warnings")).as("never silent, also when unchanged").hasSize(1);
    assertThat(r.strings("report", "warnings")).anyMatch(s -> s.contains("over-provisioned"));
  }

  @Test
  void secondRunOfTheWholeRecipeChangesNothing() {
    for (String run : List.of("recipe-second", "snap-second")) {
      List<String> steps = r.strings(run, "steps");
      assertThat(steps).as(run).isEqualTo(r.strings(run.replace("second", "first"), "steps"));
      assertThat(r.strings(run, "failed")).as(run).isEmpty();
      assertThat(r.strings(run, "changed")).as(run).isEmpty();
      for (String s : steps) {
        assertThat(r.commands("rerun-" + s)).as("rerun-" + s + ": " + r.str("rerun-" + s, "summary")).isEmpty();
      }
    }
  }

  @Test
  void interruptedStatesConvergeWithOnlyTheMissingStepsChanged() {
    for (String c : List.of("conv-b", "conv-e", "conv-d", "conv-c")) {
      assertThat(r.strings(c, "failed")).as(c).isEmpty();
    }
    assertThat(r.strings("conv-b", "changed")).as("VG without pool")
        .containsExactly("pool", "lv", "xfs", "mount", "brickdir");
    assertThat(r.commands("conv-b-pv-vdb")).as("wipe=true never re-wipes an existing PV").isEmpty();
    assertThat(r.get("conv-e-setup-umount").get("exit").getAsInt()).isZero();
    assertThat(r.strings("conv-e", "changed")).as("fstab line, not mounted").containsExactly("mount");
    assertThat(r.commands("conv-e-mount")).containsExactly(
        "mount -t xfs -o " + BRICK_OPTS + " /dev/other/brick /gluster/other/brick1");
    assertThat(r.commands("conv-d-setup-remove-mount")).containsExactly(
        "umount /gluster/other/brick1", "brickyard:fstab remove /gluster/other/brick1");
    assertThat(r.strings("conv-d", "changed")).as("formatted, no fstab line").containsExactly("mount");
    assertThat(r.commands("conv-d-mount")).containsExactly(
        "mount -t xfs -o " + BRICK_OPTS + " /dev/other/brick /gluster/other/brick1",
        "brickyard:fstab add " + fstabLine("/dev/other/brick", "/gluster/other/brick1", BRICK_OPTS));
    assertThat(r.commands("conv-c-setup-lv")).containsExactly("lvcreate --thin --virtualsize 512M --addtag brickyard -n brick other/pool");
    assertThat(r.strings("conv-c", "changed")).as("LV, not formatted").containsExactly("xfs", "mount", "brickdir");
    assertThat(r.commands("conv-c-xfs")).containsExactly("mkfs.xfs -i size=512 -n size=8192 /dev/other/brick");
  }

  @Test
  void wipeOnRequestVgextendAndNoStealingPvs() {
    assertThat(r.str("pv-dirty-wipe-unbound-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("pv-dirty-wipe-unbound-refused", "message")).contains("/dev/vdb", "ext4", "expected_device_digest");
    assertThat(r.str("pv-dirty-plan", "kernelName")).isEqualTo("vdb");
    assertThat(r.strings("pv-dirty-plan", "signatures")).singleElement().asString().startsWith("ext4 at 0x438");
    assertThat(r.str("pv-dirty-plan", "digest")).hasSize(64);
    assertThat(r.commands("pv-dirty-wiped")).containsExactly("wipefs --all /dev/vdb", "pvcreate /dev/vdb");
    assertThat(r.commands("vg-other")).containsExactly("vgcreate other /dev/vdb");
    assertThat(r.commands("vg-other-extend")).containsExactly("vgextend other /dev/vdc");
    assertThat(r.str("vg-steal-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("vg-steal-refused", "message")).contains("/dev/vdb", "other");
  }

  @Test
  void onlyLvsBrickyardCreatedAreTaggedAndRemovable() {
    for (String v : List.of("thinpool", "vol1", "vol2", "vol3", "snap")) {
      assertThat(lv(v).get("lv_tags").getAsString()).as(v).isEqualTo("brickyard");
    }
    assertThat(r.get("foreign-lv-setup").get("exit").getAsInt()).isZero();
    assertThat(r.str("remove-foreign-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("remove-foreign-refused", "message")).contains("data/foreign", "no 'brickyard' tag");
    assertThat(r.get("foreign-lv-cleanup").get("exit").getAsInt()).as("it was still there").isZero();
  }

  @Test
  void sizesChangeOnlyThroughExtendAndNeverShrink() {
    assertThat(r.str("vol1-resize-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("vol1-resize-refused", "message")).contains("ExtendLogicalVolume", "1073741824");
    assertThat(r.commands("extend-vol2")).containsExactly("lvextend -L 2G data/vol2");
    assertThat(r.changed("extend-vol2-again")).isFalse();
    assertThat(r.changed("shrink-vol2-ignored")).isFalse();
    assertThat(r.strings("shrink-vol2-ignored", "warnings")).anyMatch(s -> s.contains("never shrunk"));
  }

  @Test
  void teardownIsUmountThenFstabThenLvAndKeepsOtherLines() {
    assertThat(r.commands("remove-mount-vol2")).containsExactly(
        "umount /gluster/vol2/brick1", "brickyard:fstab remove /gluster/vol2/brick1");
    assertThat(r.commands("remove-vol2")).containsExactly("lvremove -y data/vol2");
    assertThat(r.changed("remove-mount-vol2-again")).isFalse();
    assertThat(r.changed("remove-vol2-again")).isFalse();
    assertThat(r.str("remove-vol2-again", "summary")).contains("not found");
    String vol2 = fstabLine("/dev/data/vol2", "/gluster/vol2/brick1", BRICK_OPTS);
    String after = r.str("fstab-after-teardown", "fstab");
    assertThat(after).doesNotContain("/gluster/vol2/").isEqualTo(r.str("fstab-after-teardown", "backup")
        .replace(vol2 + "\n", ""));
    assertThat(after).startsWith(r.str("fstab-initial", "fstab")).contains(
        fstabLine("/dev/data/vol1", "/gluster/vol1/brick1", BRICK_OPTS) + "\n",
        fstabLine("/dev/data/snap", VmScenario.SNAP_MOUNT, "ro,nouuid") + "\n",
        fstabLine("/dev/other/brick", "/gluster/other/brick1", BRICK_OPTS) + "\n");
    assertThat(r.get("mounts-after-teardown").getAsJsonArray("mounts").toString())
        .contains("/gluster/vol1/brick1", "/gluster/other/brick1").doesNotContain("/gluster/vol2/");
    JsonObject report = r.get("report").getAsJsonObject("lvs");
    assertThat(report.has("data/vol2")).isFalse();
    JsonObject pool = report.getAsJsonObject("data/thinpool");
    assertThat(pool.get("thinPool").getAsBoolean()).isTrue();
    assertThat(pool.get("virtualAllocated").getAsLong()).as("vol1 + vol3 + snap").isEqualTo(12 * GIB);
    assertThat(r.has("done")).isTrue();
  }
}
