package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.agent.lvm.Sizes;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LVM capability on real device-mapper: this host's kernel has none, so the recipe runs in a
 * throw-away qemu VM with Debian's kernel (see docs/vm-tier.md). One boot runs the whole
 * {@link VmScenario}; each test method below asserts one part of what it printed. The raw
 * pvs/vgs/lvs JSON is kept under target/vm-captures for use as unit-test fixtures.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LvmVmTest {
  private static final long GIB = 1L << 30;
  @TempDir
  static Path tmp;
  private VmResults r;
  private final Map<String, JsonObject> lvs = new HashMap<>();

  @BeforeAll
  void bootTheVm() throws Exception {
    VmHost host = VmHost.locate();
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path dirty = QemuVm.sparseDisk(tmp.resolve("vdb-dirty.img"), GIB);
    new ProcessRunner().runChecked(Command.of("mkfs.xfs", "-q", dirty.toString()));
    QemuVm vm = new QemuVm(host, tmp)
        .disk(QemuVm.sparseDisk(tmp.resolve("vda.img"), 5 * GIB))
        .disk(dirty)
        .disk(QemuVm.sparseDisk(tmp.resolve("vdc.img"), GIB))
        .outDir(out)
        .timeout(Duration.ofMinutes(15));
    long start = System.nanoTime();
    String console = vm.run(Initramfs.build(host, stage2()));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    Path keep = Files.createDirectories(Path.of("target", "vm-captures"));
    Files.writeString(keep.resolve("console.log"), console + "\n# host wall time: " + seconds + " s\n");
    for (String f : List.of("lvs.json", "vgs.json", "pvs.json", "lvs-all.json")) {
      if (Files.exists(out.resolve(f))) {
        Files.copy(out.resolve(f), keep.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    r = new VmResults(console);
    assertThat(console).as("guest JVM exit line; console:\n%s", QemuVm.tail(console, 6000))
        .contains("BRICKYARD-VM-EXIT 0");
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("lvs.json"))).getAsJsonObject();
    report.getAsJsonArray("report").get(0).getAsJsonObject().getAsJsonArray("lv")
        .forEach(e -> lvs.put(e.getAsJsonObject().get("lv_name").getAsString(), e.getAsJsonObject()));
  }

  /** Stage 2 runs in the VM's overlay root: udev, the out share, then the scenario on the host JDK. */
  private static String stage2() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    assertThat(cp + java).doesNotContain("'");
    return """
        #!/bin/sh
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin
        mount -t tmpfs tmpfs /run
        mount -t tmpfs tmpfs /tmp
        /lib/systemd/systemd-udevd --daemon >/dev/null 2>&1 && udevadm trigger && udevadm settle --timeout=30
        mkdir -p /brickyard-out
        mount -t 9p -o trans=virtio,version=9p2000.L brickyardout /brickyard-out || echo "BRICKYARD-VM-INIT out share failed"
        echo "BRICKYARD-VM-BOOTED uptime=$(cut -d' ' -f1 /proc/uptime)"
        '%s' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Dbrickyard.vm.out=/brickyard-out -cp '%s' %s
        echo "BRICKYARD-VM-EXIT $? uptime=$(cut -d' ' -f1 /proc/uptime)"
        sync
        """.formatted(java, cp, VmScenario.class.getName());
  }

  private JsonObject lv(String name) {
    assertThat(lvs).as("lvs.json rows").containsKey(name);
    return lvs.get(name);
  }

  @Test
  void dirtyDiskIsRefusedAndLeftIntact() {
    assertThat(r.str("pv-dirty-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("pv-dirty-refused", "message")).contains("/dev/vdb", "xfs", "wipe");
    assertThat(r.strings("dirty-signatures-after-refusal", "signatures")).containsExactly("xfs");
  }

  @Test
  void recipeCreatesPvVgPoolAndVolumes() {
    assertThat(r.changed("pv")).isTrue();
    assertThat(r.commands("pv")).containsExactly("pvcreate /dev/vda");
    assertThat(r.commands("vg")).containsExactly("vgcreate data /dev/vda");
    assertThat(r.commands("pool")).containsExactly(
        "lvcreate --type thin-pool -l 100%FREE --zero n -n thinpool data",
        "brickyard:write-file /etc/lvm/profile/brickyard-autoextend-80-20.profile",
        "lvchange --metadataprofile brickyard-autoextend-80-20 data/thinpool");
    assertThat(r.commands("vol1")).containsExactly("lvcreate --thin --virtualsize 1G -n vol1 data/thinpool");
    assertThat(r.commands("vol3")).containsExactly("lvcreate --thin --virtualsize 10G -n vol3 data/thinpool");
    assertThat(r.strings("vol1", "warnings")).isEmpty();
    assertThat(r.strings("vol2", "warnings")).isEmpty();
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
  void xfsIsMountedFromFstabAndAMountedLvCannotBeRemoved() {
    assertThat(r.get("mkfs").get("exit").getAsInt()).isZero();
    assertThat(r.get("mount").get("exit").getAsInt()).as(r.str("mount", "stderr")).isZero();
    assertThat(r.str("findmnt", "stdout")).contains("/dev/mapper/data-vol1", "/gluster/vol1/brick1", "xfs");
    assertThat(r.str("remove-mounted-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("remove-mounted-refused", "message")).contains("data/vol1", "open");
  }

  @Test
  void thinSnapshotIsActiveWithoutActivationSkip() {
    assertThat(r.commands("snap")).containsExactly("lvcreate -s --setactivationskip n --name snap data/vol1");
    String attr = lv("snap").get("lv_attr").getAsString();
    assertThat(attr).startsWith("V");
    assertThat(attr.charAt(4)).as("active, lv_attr " + attr).isEqualTo('a');
    assertThat(attr.charAt(9)).as("no activation skip, lv_attr " + attr).isNotEqualTo('k');
    assertThat(lv("snap").get("origin").getAsString()).isEqualTo("vol1");
  }

  @Test
  void dryRunPlansWithoutDoing() {
    assertThat(r.changed("dryrun-vol4")).isTrue();
    assertThat(r.get("dryrun-vol4").get("dryRun").getAsBoolean()).isTrue();
    assertThat(r.get("dryrun-vol4").get("plannedOnly").getAsBoolean()).isTrue();
    assertThat(r.commands("dryrun-vol4")).containsExactly("lvcreate --thin --virtualsize 2G -n vol4 data/thinpool");
  }

  @Test
  void secondRunChangesNothing() {
    for (String c : List.of("pv", "vg", "pool", "vol1", "vol2", "vol3", "snap")) {
      assertThat(r.changed("rerun-" + c)).as("rerun-" + c + ": " + r.str("rerun-" + c, "summary")).isFalse();
      assertThat(r.commands("rerun-" + c)).as("rerun-" + c).isEmpty();
    }
  }

  @Test
  void wipeOnRequestVgextendAndNoStealingPvs() {
    assertThat(r.commands("pv-dirty-wiped")).containsExactly("wipefs --all /dev/vdb", "pvcreate /dev/vdb");
    assertThat(r.commands("vg-other")).containsExactly("vgcreate other /dev/vdb");
    assertThat(r.commands("vg-other-extend")).containsExactly("vgextend other /dev/vdc");
    assertThat(r.str("vg-steal-refused", "error")).isEqualTo("FAILED_PRECONDITION");
    assertThat(r.str("vg-steal-refused", "message")).contains("/dev/vdb", "other");
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
  void removalIsResumableAndReportCountsVirtualAllocation() {
    assertThat(r.commands("remove-vol2")).containsExactly("lvremove -y data/vol2");
    assertThat(r.changed("remove-vol2-again")).isFalse();
    assertThat(r.str("remove-vol2-again", "summary")).contains("not found");
    JsonObject pool = r.get("report").getAsJsonObject("lvs").getAsJsonObject("data/thinpool");
    assertThat(pool.get("thinPool").getAsBoolean()).isTrue();
    assertThat(pool.get("virtualAllocated").getAsLong()).as("vol1 + vol3 + snap").isEqualTo(12 * GIB);
    assertThat(r.get("report").getAsJsonObject("lvs").has("data/vol2")).isFalse();
    assertThat(r.has("done")).isTrue();
  }
}
