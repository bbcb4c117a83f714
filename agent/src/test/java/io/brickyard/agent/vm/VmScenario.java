package io.brickyard.agent.vm;

import com.google.gson.Gson;
import io.brickyard.agent.inventory.Wipefs;
import io.brickyard.agent.lvm.LvmJson;
import io.brickyard.agent.lvm.LvmServiceImpl;
import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.EnsureThinPoolRequest;
import io.brickyard.api.agent.v1.EnsureThinSnapshotRequest;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.EnsureVolumeGroupRequest;
import io.brickyard.api.agent.v1.ExtendLogicalVolumeRequest;
import io.brickyard.api.agent.v1.GetLvmReportRequest;
import io.brickyard.api.agent.v1.LogicalVolume;
import io.brickyard.api.agent.v1.LvmReport;
import io.brickyard.api.agent.v1.LvmServiceGrpc;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveLogicalVolumeRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.ProcessRunner;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs INSIDE the VM (see {@link LvmVmTest}): the recipe's LVM steps through the real LvmService
 * behind an in-process gRPC server, with the real {@link ProcessRunner} on real device-mapper.
 * It only observes and reports: one {@code BRICKYARD-VM {json}} line per step on the console; the
 * host-side test decides what is right. Disks: /dev/vda 5G empty (the recipe's /dev/sda), /dev/vdb
 * 1G carrying an XFS signature (the dirty disk), /dev/vdc 1G empty.
 */
public final class VmScenario {
  private static final Gson GSON = new Gson();
  private final LvmServiceGrpc.LvmServiceBlockingStub lvm;
  private final ProcessRunner runner;
  private final Path out;

  private VmScenario(LvmServiceGrpc.LvmServiceBlockingStub lvm, ProcessRunner runner, Path out) {
    this.lvm = lvm;
    this.runner = runner;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    ProcessRunner runner = new ProcessRunner();
    String name = "vm-lvm";
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new LvmServiceImpl(runner, Path.of("/etc/lvm/profile"), Path.of("/sys/class/block")))
        .build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      new VmScenario(LvmServiceGrpc.newBlockingStub(ch), runner, Path.of(System.getProperty("brickyard.vm.out"))).run();
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
    emit("done", Map.of());
  }

  private void run() throws Exception {
    // 1. The dirty disk is refused, and its signature is still there afterwards.
    call("pv-dirty-refused", () -> lvm.ensurePhysicalVolume(pv("/dev/vdb", false)));
    emit("dirty-signatures-after-refusal", Map.of("signatures",
        Wipefs.parse(runner.run(Wipefs.probe("/dev/vdb")).stdout())));

    // 2. The recipe: pvcreate /dev/sda, vgcreate data, thin pool 100%FREE, vol1/vol2 1G, vol3 10G.
    List<Runnable> recipe = List.of(
        () -> call("pv", () -> lvm.ensurePhysicalVolume(pv("/dev/vda", false))),
        () -> call("vg", () -> lvm.ensureVolumeGroup(vg("data", "/dev/vda"))),
        () -> call("pool", () -> lvm.ensureThinPool(EnsureThinPoolRequest.newBuilder().setVg("data")
            .setName("thinpool").setSize("100%FREE").setZero(false)
            .setAutoextendThreshold(80).setAutoextendPercent(20).build())),
        () -> call("vol1", () -> lvm.ensureThinVolume(thin("vol1", "1G", false))),
        () -> call("vol2", () -> lvm.ensureThinVolume(thin("vol2", "1G", false))),
        () -> call("vol3", () -> lvm.ensureThinVolume(thin("vol3", "10G", false))));
    recipe.forEach(Runnable::run);

    // 3. XFS + fstab + mount as in the recipe.
    // TODO(storage): switch to StorageService (EnsureFilesystem/EnsureMount) once it is merged;
    // until then mkfs/mount go through the same ProcessRunner directly.
    Path mnt = Path.of("/gluster/vol1/brick1");
    Files.createDirectories(mnt);
    command("mkfs", Command.of("mkfs.xfs", "-i", "size=512", "-n", "size=8192", "/dev/data/vol1"));
    Files.writeString(Path.of("/etc/fstab"), "/dev/data/vol1 " + mnt + " xfs rw,noatime,nouuid 0 0\n",
        StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    command("mount", Command.of("mount", mnt.toString()));
    command("findmnt", Command.of("findmnt", "--json", "-o", "SOURCE,TARGET,FSTYPE", mnt.toString()));
    call("remove-mounted-refused", () -> lvm.removeLogicalVolume(remove("vol1")));

    // 4. Thin snapshot of vol1; a dry run that must not create anything.
    Runnable snap = () -> call("snap", () -> lvm.ensureThinSnapshot(EnsureThinSnapshotRequest.newBuilder()
        .setVg("data").setOrigin("vol1").setName("snap").build()));
    snap.run();
    call("dryrun-vol4", () -> lvm.ensureThinVolume(thin("vol4", "2G", true)));

    // 5. Capture the raw reports (for the host test and for unit-test fixtures).
    capture("lvs", LvmJson.lvsCommand());
    capture("vgs", LvmJson.vgsCommand());
    capture("pvs", LvmJson.pvsCommand());
    capture("lvs-all", Command.of("lvs", "-a", "--reportformat", "json", "--units", "b", "--nosuffix",
        "-o", "lv_name,vg_name,lv_attr,lv_size,pool_lv,origin,data_percent,metadata_percent,lv_profile,zero"));

    // 6. Everything again: nothing may change.
    for (int i = 0; i < recipe.size(); i++) {
      int k = i;
      rerun(() -> recipe.get(k).run());
    }
    rerun(snap);

    // 7. Second VG: wipe the dirty disk on request, vgextend, a PV of another VG refused.
    call("pv-dirty-wiped", () -> lvm.ensurePhysicalVolume(pv("/dev/vdb", true)));
    call("pv-vdc", () -> lvm.ensurePhysicalVolume(pv("/dev/vdc", false)));
    call("vg-other", () -> lvm.ensureVolumeGroup(vg("other", "/dev/vdb")));
    call("vg-other-extend", () -> lvm.ensureVolumeGroup(vg("other", "/dev/vdb", "/dev/vdc")));
    call("vg-steal-refused", () -> lvm.ensureVolumeGroup(vg("data", "/dev/vda", "/dev/vdb")));

    // 8. Size changes: a different Ensure size is refused, Extend grows and never shrinks.
    call("vol1-resize-refused", () -> lvm.ensureThinVolume(thin("vol1", "2G", false)));
    call("extend-vol2", () -> lvm.extendLogicalVolume(extend("vol2", "2G")));
    call("extend-vol2-again", () -> lvm.extendLogicalVolume(extend("vol2", "2G")));
    call("shrink-vol2-ignored", () -> lvm.extendLogicalVolume(extend("vol2", "1G")));

    // 9. Removal is resumable; the report carries virtual allocation and warnings.
    call("remove-vol2", () -> lvm.removeLogicalVolume(remove("vol2")));
    call("remove-vol2-again", () -> lvm.removeLogicalVolume(remove("vol2")));
    report();
  }

  private String prefix = "";

  private void rerun(Runnable step) {
    prefix = "rerun-";
    try {
      step.run();
    } finally {
      prefix = "";
    }
  }

  private void call(String check, Supplier<OperationResult> rpc) {
    Map<String, Object> m = new LinkedHashMap<>();
    long start = System.nanoTime();
    try {
      OperationResult r = rpc.get();
      m.put("changed", r.getChanged());
      m.put("dryRun", r.getDryRun());
      m.put("summary", r.getSummary());
      m.put("warnings", r.getWarningsList());
      m.put("commands", r.getCommandsList().stream().map(VmScenario::argv).toList());
      m.put("plannedOnly", r.getCommandsList().stream().allMatch(CommandRecord::getPlannedOnly));
    } catch (StatusRuntimeException e) {
      m.put("error", e.getStatus().getCode().name());
      m.put("message", e.getStatus().getDescription());
    }
    m.put("millis", (System.nanoTime() - start) / 1_000_000);
    emit(prefix + check, m);
  }

  private void command(String check, Command c) {
    CommandResult r = runner.run(c);
    emit(check, Map.of("exit", r.exitCode(), "stdout", r.stdout(), "stderr", r.stderr(),
        "millis", r.duration().toMillis()));
  }

  private void capture(String name, Command c) throws Exception {
    CommandResult r = runner.run(c);
    Files.writeString(out.resolve(name + ".json"), r.stdout());
    emit("capture-" + name, Map.of("exit", r.exitCode(), "argv", c.argv(), "stderr", r.stderr()));
  }

  private void report() {
    LvmReport r = lvm.getLvmReport(GetLvmReportRequest.getDefaultInstance());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("warnings", r.getWarningsList());
    m.put("pvs", r.getPhysicalVolumesList().stream().map(p -> p.getDevice() + ":" + p.getVg()).toList());
    m.put("vgs", r.getVolumeGroupsList().stream().map(v -> v.getName() + ":" + v.getPvCount()).toList());
    Map<String, Object> lvs = new LinkedHashMap<>();
    for (LogicalVolume l : r.getLogicalVolumesList()) {
      lvs.put(l.getVg() + "/" + l.getName(), Map.of("attr", l.getAttr(), "size", l.getSizeBytes(),
          "pool", l.getPool(), "origin", l.getOrigin(), "thinPool", l.getThinPool(),
          "thinVolume", l.getThinVolume(), "active", l.getActive(),
          "virtualAllocated", l.getVirtualAllocatedBytes(), "path", l.getPath()));
    }
    m.put("lvs", lvs);
    emit("report", m);
  }

  private static List<String> argv(CommandRecord c) {
    return c.getArgvList();
  }

  static void emit(String check, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("check", check);
    m.putAll(fields);
    System.out.println("BRICKYARD-VM " + GSON.toJson(m));
    System.out.flush();
  }

  private static EnsurePhysicalVolumeRequest pv(String dev, boolean wipe) {
    return EnsurePhysicalVolumeRequest.newBuilder().setDevice(dev).setWipe(wipe).build();
  }

  private static EnsureVolumeGroupRequest vg(String name, String... devs) {
    return EnsureVolumeGroupRequest.newBuilder().setName(name).addAllDevices(List.of(devs)).build();
  }

  private static EnsureThinVolumeRequest thin(String name, String size, boolean dryRun) {
    return EnsureThinVolumeRequest.newBuilder().setVg("data").setPool("thinpool").setName(name)
        .setVirtualSize(size).setOptions(RequestOptions.newBuilder().setDryRun(dryRun)).build();
  }

  private static ExtendLogicalVolumeRequest extend(String name, String size) {
    return ExtendLogicalVolumeRequest.newBuilder().setVg("data").setName(name).setSize(size).build();
  }

  private static RemoveLogicalVolumeRequest remove(String name) {
    return RemoveLogicalVolumeRequest.newBuilder().setVg("data").setName(name).build();
  }
}
