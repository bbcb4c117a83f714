package io.brickyard.agent.vm;

import static io.brickyard.agent.vm.VmRequests.brickDir;
import static io.brickyard.agent.vm.VmRequests.extend;
import static io.brickyard.agent.vm.VmRequests.mount;
import static io.brickyard.agent.vm.VmRequests.pool;
import static io.brickyard.agent.vm.VmRequests.pv;
import static io.brickyard.agent.vm.VmRequests.pvPlan;
import static io.brickyard.agent.vm.VmRequests.removeLv;
import static io.brickyard.agent.vm.VmRequests.thin;
import static io.brickyard.agent.vm.VmRequests.umount;
import static io.brickyard.agent.vm.VmRequests.vg;
import static io.brickyard.agent.vm.VmRequests.xfs;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.inventory.Wipefs;
import io.brickyard.agent.lvm.LvmJson;
import io.brickyard.agent.lvm.LvmServiceImpl;
import io.brickyard.agent.storage.StorageServiceImpl;
import io.brickyard.api.agent.v1.DeviceIdentity;
import io.brickyard.api.agent.v1.EnsureThinSnapshotRequest;
import io.brickyard.api.agent.v1.GetFilesystemRequest;
import io.brickyard.api.agent.v1.GetMountsRequest;
import io.brickyard.api.agent.v1.LvmServiceGrpc;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.ProcessRunner;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs INSIDE the VM (see {@link LvmVmTest}): node preparation from raw disks to a brick
 * directory, entirely through the real LvmService and StorageService behind one in-process gRPC
 * server, with the real {@link ProcessRunner} on real device-mapper, XFS and the guest's own
 * /etc/fstab (a tmpfs overlay copy). It only observes and reports ({@link VmSteps}); the host
 * test decides what is right. Disks: /dev/vda 5G empty (the recipe's /dev/sda), /dev/vdb 1G
 * carrying an ext4 signature (the dirty disk), /dev/vdc 1G empty.
 */
public final class VmScenario {
  /** An admin's line that was in fstab before brickyard: every edit must keep it. */
  static final String FOREIGN_LINE = "tmpfs /mnt/admin-scratch tmpfs defaults,noauto 0 0";
  static final String SNAP_MOUNT = "/gluster/snaps/snap/brick1";
  private static final Path FSTAB = Path.of("/etc/fstab");
  private static final Path BACKUP = Path.of("/etc/fstab.brickyard.bak");

  private final LvmServiceGrpc.LvmServiceBlockingStub lvm;
  private final StorageServiceGrpc.StorageServiceBlockingStub storage;
  private final ProcessRunner runner;
  private final VmSteps out;
  private final Path outDir;

  private VmScenario(ManagedChannel ch, ProcessRunner runner, Path outDir) {
    this.lvm = LvmServiceGrpc.newBlockingStub(ch);
    this.storage = StorageServiceGrpc.newBlockingStub(ch);
    this.runner = runner;
    this.out = new VmSteps(runner);
    this.outDir = outDir;
  }

  public static void main(String[] args) throws Exception {
    ProcessRunner runner = new ProcessRunner();
    // Storage needs no service backend; the paths are the guest's real /etc/fstab.
    AgentContext ctx = new AgentContext(runner, null, AgentContext.Paths.system(), new SimpleMeterRegistry());
    String name = "vm-node";
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new LvmServiceImpl(ctx)).addService(new StorageServiceImpl(ctx)).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      new VmScenario(ch, runner, Path.of(System.getProperty("brickyard.vm.out"))).run();
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
    VmSteps.emit("done", Map.of());
  }

  /** The node recipe on /dev/vda: LVM layout, then XFS, fstab + mount and brick directories. */
  private VmRecipe dataRecipe() {
    VmRecipe r = new VmRecipe()
        .step("pv", () -> lvm.ensurePhysicalVolume(pv("/dev/vda", false)))
        .step("vg", () -> lvm.ensureVolumeGroup(vg("data", "/dev/vda")))
        .step("pool", () -> lvm.ensureThinPool(pool("data", "thinpool", 80, 20)))
        .step("vol1", () -> lvm.ensureThinVolume(thin("data", "thinpool", "vol1", "1G", false)))
        .step("vol2", () -> lvm.ensureThinVolume(thin("data", "thinpool", "vol2", "1G", false)))
        .step("vol3", () -> lvm.ensureThinVolume(thin("data", "thinpool", "vol3", "10G", false)));
    for (String v : new String[] {"vol1", "vol2"}) {
      r.step("xfs-" + v, () -> storage.ensureXfs(xfs("/dev/data/" + v, false)));
    }
    for (String v : new String[] {"vol1", "vol2"}) {
      r.step("mount-" + v, () -> storage.ensureMount(mount("/dev/data/" + v, "/gluster/" + v + "/brick1")));
    }
    return r.step("brick-vol1", () -> storage.ensureBrickDirectory(brickDir("/gluster/vol1/brick1/brick")));
  }

  /** A second node recipe, on VG "other" (vdb + vdc), used to resume from interrupted states. */
  private VmRecipe otherRecipe() {
    return new VmRecipe()
        .step("pv-vdb", () -> lvm.ensurePhysicalVolume(pv("/dev/vdb", true)))
        .step("pv-vdc", () -> lvm.ensurePhysicalVolume(pv("/dev/vdc", false)))
        .step("vg", () -> lvm.ensureVolumeGroup(vg("other", "/dev/vdb", "/dev/vdc")))
        .step("pool", () -> lvm.ensureThinPool(pool("other", "pool", 0, 0)))
        .step("lv", () -> lvm.ensureThinVolume(thin("other", "pool", "brick", "512M", false)))
        .step("xfs", () -> storage.ensureXfs(xfs("/dev/other/brick", false)))
        .step("mount", () -> storage.ensureMount(mount("/dev/other/brick", "/gluster/other/brick1")))
        .step("brickdir", () -> storage.ensureBrickDirectory(brickDir("/gluster/other/brick1/brick")));
  }

  private void run() throws Exception {
    // The guest's /etc is an overlay copy of the shared host's, which other jobs may touch: start
    // from a known node that brickyard never edited (no backup) with one admin line.
    Files.writeString(FSTAB, "# /etc/fstab of the vm-tier guest\n" + FOREIGN_LINE + "\n");
    VmSteps.emit("stale-backup-removed", Map.of("removed", Files.deleteIfExists(BACKUP)));
    fstab("fstab-initial");

    // 1. The dirty disk is refused by both services, and its signature is still there afterwards.
    out.call("pv-dirty-refused", () -> lvm.ensurePhysicalVolume(pv("/dev/vdb", false)));
    out.call("xfs-dirty-refused", () -> storage.ensureXfs(xfs("/dev/vdb", false)));
    VmSteps.emit("dirty-signatures-after-refusal", Map.of("signatures",
        Wipefs.parse(runner.run(Wipefs.probe("/dev/vdb")).stdout())));

    // 2. Interrupted right after pvcreate (PV, no VG); the full recipe then does the rest.
    out.call("a-pv", () -> lvm.ensurePhysicalVolume(pv("/dev/vda", false)));
    VmRecipe data = dataRecipe();
    data.run(out, "", "recipe-first");
    fstab("fstab-after-recipe");
    VmSteps.emit("mounts-after-recipe", Map.of("mounts", mounts()));
    out.call("xfs-on-pv-refused", () -> storage.ensureXfs(xfs("/dev/vda", true)));
    out.call("remove-mounted-refused", () -> lvm.removeLogicalVolume(removeLv("data", "vol1")));

    // 3. Thin snapshot of the mounted vol1, mounted read-only with nouuid (same XFS UUID).
    VmRecipe snap = new VmRecipe()
        .step("snap", () -> lvm.ensureThinSnapshot(EnsureThinSnapshotRequest.newBuilder()
            .setVg("data").setOrigin("vol1").setName("snap").build()))
        .step("mount-snap", () -> storage.ensureMount(mount("/dev/data/snap", SNAP_MOUNT, "ro", "nouuid")));
    snap.run(out, "", "snap-first");
    VmSteps.emit("uuids", Map.of(
        "vol1", storage.getFilesystem(fsReq("/dev/data/vol1")).getUuid(),
        "snap", storage.getFilesystem(fsReq("/dev/data/snap")).getUuid()));
    VmSteps.emit("mounts-with-snap", Map.of("mounts", mounts()));
    out.call("dryrun-vol4", () -> lvm.ensureThinVolume(thin("data", "thinpool", "vol4", "2G", true)));

    // 4. An LV brickyard did not create (no tag, made here by hand) is never removed; then raw
    // reports (for the host test and for unit-test fixtures), with and without it.
    out.command("foreign-lv-setup", Command.of("lvcreate", "--thin", "--virtualsize", "64M", "-n", "foreign",
        "data/thinpool"));
    out.call("remove-foreign-refused", () -> lvm.removeLogicalVolume(removeLv("data", "foreign")));
    capture("lvs-foreign", LvmJson.lvsCommand());
    out.command("foreign-lv-cleanup", Command.of("lvremove", "-y", "data/foreign"));
    capture("lvs", LvmJson.lvsCommand());
    capture("vgs", LvmJson.vgsCommand());
    capture("pvs", LvmJson.pvsCommand());
    capture("lvs-all", Command.of("lvs", "-a", "--reportformat", "json", "--units", "b", "--nosuffix",
        "-o", "lv_name,vg_name,lv_attr,lv_size,pool_lv,origin,data_percent,metadata_percent,lv_profile,zero"));

    // 5. The whole recipe again: nothing may change.
    data.run(out, "rerun-", "recipe-second");
    snap.run(out, "rerun-", "snap-second");

    // 6. Second VG: wipe on request, vgextend, a PV of another VG refused. That leaves a VG
    // without pool: the first interrupted state the "other" recipe resumes from.
    // A wipe is bound to the device a plan (dry run) showed: without its digest it is refused.
    out.call("pv-dirty-wipe-unbound-refused", () -> lvm.ensurePhysicalVolume(pv("/dev/vdb", true)));
    DeviceIdentity seen = lvm.ensurePhysicalVolume(pvPlan("/dev/vdb")).getDevice();
    VmSteps.emit("pv-dirty-plan", Map.of("kernelName", seen.getKernelName(), "sizeBytes", seen.getSizeBytes(),
        "signatures", seen.getSignaturesList(), "digest", seen.getDigest()));
    out.call("pv-dirty-wiped", () -> lvm.ensurePhysicalVolume(pv("/dev/vdb", true, seen.getDigest())));
    out.call("pv-vdc", () -> lvm.ensurePhysicalVolume(pv("/dev/vdc", false)));
    out.call("vg-other", () -> lvm.ensureVolumeGroup(vg("other", "/dev/vdb")));
    out.call("vg-other-extend", () -> lvm.ensureVolumeGroup(vg("other", "/dev/vdb", "/dev/vdc")));
    out.call("vg-steal-refused", () -> lvm.ensureVolumeGroup(vg("data", "/dev/vda", "/dev/vdb")));
    interrupted();

    // 7. Size changes: a different Ensure size is refused, Extend grows and never shrinks.
    out.call("vol1-resize-refused", () -> lvm.ensureThinVolume(thin("data", "thinpool", "vol1", "2G", false)));
    out.call("extend-vol2", () -> lvm.extendLogicalVolume(extend("data", "vol2", "2G")));
    out.call("extend-vol2-again", () -> lvm.extendLogicalVolume(extend("data", "vol2", "2G")));
    out.call("shrink-vol2-ignored", () -> lvm.extendLogicalVolume(extend("data", "vol2", "1G")));

    // 8. Safe teardown of one brick: umount + fstab line, then the LV; both resumable.
    out.call("remove-mount-vol2", () -> storage.removeMount(umount("/gluster/vol2/brick1")));
    out.call("remove-vol2", () -> lvm.removeLogicalVolume(removeLv("data", "vol2")));
    out.call("remove-mount-vol2-again", () -> storage.removeMount(umount("/gluster/vol2/brick1")));
    out.call("remove-vol2-again", () -> lvm.removeLogicalVolume(removeLv("data", "vol2")));
    fstab("fstab-after-teardown");
    VmSteps.emit("mounts-after-teardown", Map.of("mounts", mounts()));
    new VmReport(lvm).emit();
  }

  /**
   * Resuming after an interruption: each state below is one a kill between two steps of the
   * recipe leaves behind (made here with the services, or one plain umount); the full "other"
   * recipe is then sent again and must converge, changing only what was missing.
   */
  private void interrupted() {
    VmRecipe other = otherRecipe();
    // b: VG, no pool (left by step 6).
    other.run(out, "conv-b-", "conv-b");
    // e: fstab line, not mounted (kill between EnsureMount's fstab write and its mount, or
    // between RemoveMount's umount and its fstab edit).
    out.command("conv-e-setup-umount", Command.of("umount", "/gluster/other/brick1"));
    other.run(out, "conv-e-", "conv-e");
    // d: formatted, no fstab line (kill inside EnsureMount before the fstab write).
    out.call("conv-d-setup-remove-mount", () -> storage.removeMount(umount("/gluster/other/brick1")));
    other.run(out, "conv-d-", "conv-d");
    // c: LV created, not formatted (kill between lvcreate and mkfs.xfs).
    out.call("conv-c-setup-remove-mount", () -> storage.removeMount(umount("/gluster/other/brick1")));
    out.call("conv-c-setup-remove-lv", () -> lvm.removeLogicalVolume(removeLv("other", "brick")));
    out.call("conv-c-setup-lv", () -> lvm.ensureThinVolume(thin("other", "pool", "brick", "512M", false)));
    other.run(out, "conv-c-", "conv-c");
  }

  private void fstab(String check) throws Exception {
    VmSteps.emit(check, Map.of("fstab", Files.readString(FSTAB),
        "backup", Files.exists(BACKUP) ? Files.readString(BACKUP) : "<none>"));
  }

  private List<Map<String, String>> mounts() {
    return storage.getMounts(GetMountsRequest.getDefaultInstance()).getMountsList()
        .stream().filter(m -> m.getTarget().startsWith("/gluster/"))
        .map(m -> Map.of("target", m.getTarget(), "source", m.getSource(), "fsType", m.getFsType(),
            "options", m.getOptions()))
        .toList();
  }

  private static GetFilesystemRequest fsReq(String dev) {
    return GetFilesystemRequest.newBuilder().setDevice(dev).build();
  }

  private void capture(String name, Command c) throws Exception {
    var r = runner.run(c);
    Files.writeString(outDir.resolve(name + ".json"), r.stdout());
    VmSteps.emit("capture-" + name, Map.of("exit", r.exitCode(), "argv", c.argv(), "stderr", r.stderr()));
  }
}
