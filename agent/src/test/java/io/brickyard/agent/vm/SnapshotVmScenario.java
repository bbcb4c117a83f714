package io.brickyard.agent.vm;

import static io.brickyard.agent.vm.VmRequests.brickDir;
import static io.brickyard.agent.vm.VmRequests.mount;
import static io.brickyard.agent.vm.VmRequests.pool;
import static io.brickyard.agent.vm.VmRequests.pv;
import static io.brickyard.agent.vm.VmRequests.thin;
import static io.brickyard.agent.vm.VmRequests.vg;
import static io.brickyard.agent.vm.VmRequests.xfs;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.gluster.GlusterServiceImpl;
import io.brickyard.agent.gluster.SnapshotServiceImpl;
import io.brickyard.api.agent.v1.CloneSnapshotRequest;
import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.ListSnapshotsRequest;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.agent.v1.SnapshotBricksRequest;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotRef;
import io.brickyard.api.agent.v1.SnapshotServiceGrpc;
import io.brickyard.api.agent.v1.StopVolumeRequest;
import io.brickyard.common.snapshot.ScheduleSet;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import io.brickyard.agent.lvm.LvmServiceImpl;
import io.brickyard.agent.storage.StorageServiceImpl;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.LvmServiceGrpc;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.Daemons;
import io.brickyard.common.exec.ProcessRunner;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs INSIDE the VM (see {@link SnapshotVmTest}): one glusterd in the guest's root namespace,
 * a brick on a thin LV made by the real LvmService/StorageService, a volume made by the real
 * GlusterService, then every snapshot operation through the real SnapshotService (one in-process
 * gRPC server, real ProcessRunner), data checked through FUSE mounts with sha256 sums, and a
 * schedule's retention under a test clock. The host test judges; this only reports ({@link VmSteps})
 * and keeps the raw reads GetSnapshotBricks makes (out share {@code raw/}) as unit-test fixtures.
 * (The XML fixtures were captured by an earlier version that ran the gluster CLI directly.)
 *
 * <p>Network: the guest has no NIC (-nic none); the node's address 10.77.0.1 sits on lo and
 * /etc/hosts (an overlay copy) names it {@code snapnode}: gluster refuses loopback brick hosts.
 */
public final class SnapshotVmScenario {
  static final String HOST = "snapnode";
  static final String ADDR = "10.77.0.1";
  static final String VOL = "snapvol";
  private final LvmServiceGrpc.LvmServiceBlockingStub lvm;
  private final StorageServiceGrpc.StorageServiceBlockingStub storage;
  private final GlusterServiceGrpc.GlusterServiceBlockingStub gluster;
  private final SnapshotServiceGrpc.SnapshotServiceBlockingStub snaps;
  private final ProcessRunner runner;
  private final VmSteps out;
  private final Path outDir;

  private SnapshotVmScenario(ManagedChannel ch, ProcessRunner runner, Path outDir) {
    this.lvm = LvmServiceGrpc.newBlockingStub(ch);
    this.storage = StorageServiceGrpc.newBlockingStub(ch);
    this.gluster = GlusterServiceGrpc.newBlockingStub(ch);
    this.snaps = SnapshotServiceGrpc.newBlockingStub(ch);
    this.runner = runner;
    this.out = new VmSteps(runner);
    this.outDir = outDir;
  }

  public static void main(String[] args) throws Exception {
    ProcessRunner runner = new ProcessRunner();
    AgentContext ctx = new AgentContext(runner, null, AgentContext.Paths.system(), new SimpleMeterRegistry());
    String name = "vm-snap-node";
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new LvmServiceImpl(ctx)).addService(new StorageServiceImpl(ctx))
        .addService(new GlusterServiceImpl(runner, Duration.ofMillis(500)))
        .addService(new SnapshotServiceImpl(runner)).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      new SnapshotVmScenario(ch, runner, Path.of(System.getProperty("brickyard.vm.out"))).run();
    } finally {
      ch.shutdownNow();
      server.shutdownNow();
    }
    VmSteps.emit("done", Map.of());
  }

  private void run() throws Exception {
    Files.writeString(Path.of("/etc/fstab"), "# /etc/fstab of the snapshot vm-tier guest\n");
    node();

    // Bricks on a thin LV (made by the agent's services), a thick LV and a plain directory.
    new VmRecipe()
        .step("pv", () -> lvm.ensurePhysicalVolume(pv("/dev/vda", false)))
        .step("vg", () -> lvm.ensureVolumeGroup(vg("data", "/dev/vda")))
        .step("pool", () -> lvm.ensureThinPool(pool("data", "thinpool", 0, 0).toBuilder().setSize("3G").build()))
        .step("lv", () -> lvm.ensureThinVolume(thin("data", "thinpool", VOL, "1G", false)))
        .step("xfs", () -> storage.ensureXfs(xfs("/dev/data/" + VOL, false)))
        .step("mount", () -> storage.ensureMount(mount("/dev/data/" + VOL, "/gluster/" + VOL + "/brick1")))
        .step("brickdir", () -> storage.ensureBrickDirectory(brickDir("/gluster/" + VOL + "/brick1/brick")))
        .run(out, "", "recipe");
    out.command("thick-lv", Command.of("lvcreate", "-y", "-L", "512M", "-n", "thick", "data"));
    out.command("thick-xfs", Command.of("mkfs.xfs", "-q", "/dev/data/thick"));
    Files.createDirectories(Path.of("/gluster/thick/brick1"));
    out.command("thick-mount", Command.of("mount", "-o", "nouuid", "/dev/data/thick", "/gluster/thick/brick1"));
    Files.createDirectories(Path.of("/gluster/thick/brick1/brick"));
    // A brick straight on a disk (XFS on /dev/vdb, no LVM): the other kind of "not a thin LV".
    out.command("plain-xfs", Command.of("mkfs.xfs", "-q", "/dev/vdb"));
    Files.createDirectories(Path.of("/gluster/plain/brick1"));
    out.command("plain-mount", Command.of("mount", "/dev/vdb", "/gluster/plain/brick1"));
    Files.createDirectories(Path.of("/gluster/plain/brick1/brick"));

    glusterd();
    out.call("volume-create", () -> gluster.ensureVolume(EnsureVolumeRequest.newBuilder().setName(VOL)
        .setType("distribute").addBricks(HOST + ":/gluster/" + VOL + "/brick1/brick").build()));
    out.call("volume-start", () -> gluster.startVolume(StartVolumeRequest.newBuilder().setVolume(VOL).build()));
    out.command("thick-create", cli(false, "volume", "create", "thickvol", HOST + ":/gluster/thick/brick1/brick"));
    out.command("thick-start", cli(false, "volume", "start", "thickvol"));
    out.command("plain-create", cli(false, "volume", "create", "plainvol", HOST + ":/gluster/plain/brick1/brick"));
    out.command("plain-start", cli(false, "volume", "start", "plainvol"));

    // What GetSnapshotBricks reads, kept raw as fixtures for ThinBricksTest and SnapshotsTest.
    raw("findmnt-thin.json", io.brickyard.agent.storage.MountTable.containing("/gluster/" + VOL + "/brick1/brick"));
    raw("findmnt-thick.json", io.brickyard.agent.storage.MountTable.containing("/gluster/thick/brick1/brick"));
    raw("findmnt-plain.json", io.brickyard.agent.storage.MountTable.containing("/gluster/plain/brick1/brick"));
    raw("lvs.json", io.brickyard.agent.lvm.LvmJson.lvsCommand());
    raw("pool-list.xml", cli(true, "pool", "list"));
    raw("volume-info-all.xml", cli(true, "volume", "info", "all"));
    raw("snapshot-list-none.xml", cli(true, "snapshot", "list"));
    for (String v : List.of(VOL, "thickvol", "plainvol")) {
      bricks("bricks-" + v, v);
    }

    Path live = fuse("mount-live", HOST + ":/" + VOL, "/mnt/live");
    write(live, Map.of("a.txt", "alpha\n", "b.bin", "bravo ".repeat(10_000), "dir/c.txt", "charlie\n"));
    sums("sums-before", live);

    out.call("create", () -> snaps.createSnapshot(create(VOL, "snap1", "first snapshot")));
    out.call("create-again", () -> snaps.createSnapshot(create(VOL, "snap1", "first snapshot")));
    out.call("create-thick-refused", () -> snaps.createSnapshot(create("thickvol", "snapthick", "")));
    out.call("create-plain-refused", () -> snaps.createSnapshot(create("plainvol", "snapplain", "")));
    out.call("create-bad-name", () -> snaps.createSnapshot(create(VOL, "-snap", "")));

    // More data after the snapshot: changed, added and removed files.
    Files.writeString(live.resolve("a.txt"), "alpha changed\n");
    Files.writeString(live.resolve("d.txt"), "delta\n");
    Files.delete(live.resolve("b.bin"));
    sums("sums-after-write", live);

    list("list-volume", VOL);
    list("list-all", "");
    info("info-snap1", "snap1");
    info("info-missing", "nosuchsnap");
    out.call("activate", () -> snaps.activateSnapshot(change("snap1")));
    out.call("activate-again", () -> snaps.activateSnapshot(change("snap1")));
    info("info-activated", "snap1");
    Path snap = fuse("mount-snap", HOST + ":/snaps/snap1/" + VOL, "/mnt/snap1");
    sums("sums-snapshot", snap);
    out.command("umount-snap", Command.of("umount", snap.toString()));

    out.call("clone", () -> snaps.cloneSnapshot(CloneSnapshotRequest.newBuilder().setSnapshot("snap1").setClone("clone1").build()));
    out.call("clone-again-refused", () -> snaps.cloneSnapshot(CloneSnapshotRequest.newBuilder().setSnapshot("snap1")
        .setClone("clone1").build()));
    out.call("clone-start", () -> gluster.startVolume(StartVolumeRequest.newBuilder().setVolume("clone1").build()));
    Path clone = fuse("mount-clone", HOST + ":/clone1", "/mnt/clone1");
    sums("sums-clone", clone);
    out.command("umount-clone", Command.of("umount", clone.toString()));

    out.call("deactivate", () -> snaps.deactivateSnapshot(change("snap1")));
    out.call("deactivate-again", () -> snaps.deactivateSnapshot(change("snap1")));
    out.call("restore-started-refused", () -> snaps.restoreSnapshot(change("snap1")));
    out.command("umount-live", Command.of("umount", live.toString()));
    out.call("volume-stop", () -> gluster.stopVolume(StopVolumeRequest.newBuilder().setVolume(VOL).build()));
    out.call("restore", () -> snaps.restoreSnapshot(change("snap1")));
    list("list-after-restore", VOL);
    out.call("volume-start-after-restore", () -> gluster.startVolume(StartVolumeRequest.newBuilder().setVolume(VOL).build()));
    Path restored = fuse("mount-restored", HOST + ":/" + VOL, "/mnt/restored");
    sums("sums-restored", restored);
    out.command("umount-restored", Command.of("umount", restored.toString()));

    retention();
    out.command("lvs-end", Command.of("lvs", "--reportformat", "json", "-o", "lv_name,vg_name,pool_lv,origin,lv_attr,data_percent"));
    keepLog();
  }

  /** glusterd's own log, for the record (and for a diagnosis when a step fails). */
  private void keepLog() {
    try {
      Files.copy(Path.of("/var/log/glusterfs/glusterd.log"), outDir.resolve("glusterd.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      VmSteps.emit("glusterd-log", Map.of("error", e.toString()));
    }
  }

  /**
   * A schedule's retention on real gluster, with a test clock: three snapshots of schedule
   * "hourly" (keep 1) named for T0, T0+1h, T0+2h, beside a hand-made one and a look-alike of the
   * schedule's form; pruning (ScheduleSet, the coordinator's rule) deletes the two older of the
   * set through DeleteSnapshot, and nothing else.
   */
  private void retention() {
    ScheduleSet set = new ScheduleSet(VOL, new ScheduleSet.Schedule("hourly", Duration.ofHours(1), 1));
    Instant t0 = Instant.parse("2026-12-01T19:00:00Z");
    List<String> made = new ArrayList<>();
    for (int h = 0; h < 3; h++) {
      made.add(set.name(t0.plus(Duration.ofHours(h))));
    }
    made.add(VOL + "_hourly_manual");
    made.add(set.name(t0) + "_copy");
    for (String n : made) {
      out.call("retention-create-" + n, () -> snaps.createSnapshot(create(VOL, n, "")));
    }
    Map<String, String> before = new java.util.LinkedHashMap<>();
    snaps.listSnapshots(ListSnapshotsRequest.newBuilder().setVolume(VOL).build()).getSnapshotsList()
        .forEach(x -> before.put(x.getName(), x.getVolume()));
    List<String> prune = set.prune(before);
    VmSteps.emit("retention-plan", Map.of("before", List.copyOf(before.keySet()), "prune", prune,
        "due", set.due(before, t0.plus(Duration.ofHours(2)).plusSeconds(3599))));
    for (String n : prune) {
      out.call("retention-delete-" + n, () -> snaps.deleteSnapshot(change(n)));
    }
    list("retention-after", VOL);
    out.call("delete-missing", () -> snaps.deleteSnapshot(change(prune.isEmpty() ? "none" : prune.get(0))));
  }

  private static CreateSnapshotRequest create(String vol, String name, String description) {
    return CreateSnapshotRequest.newBuilder().setVolume(vol).setName(name).setDescription(description).build();
  }

  private static SnapshotChangeRequest change(String name) {
    return SnapshotChangeRequest.newBuilder().setName(name).build();
  }

  private void list(String check, String volume) {
    try {
      VmSteps.emit(check, Map.of("snapshots", snaps.listSnapshots(ListSnapshotsRequest.newBuilder().setVolume(volume).build())
          .getSnapshotsList().stream().map(SnapshotVmScenario::snapshot).toList()));
    } catch (StatusRuntimeException e) {
      VmSteps.emit(check, Map.of("error", e.getStatus().getCode().name(), "message", String.valueOf(e.getStatus().getDescription())));
    }
  }

  private void info(String check, String name) {
    try {
      VmSteps.emit(check, snapshot(snaps.getSnapshot(SnapshotRef.newBuilder().setName(name).build())));
    } catch (StatusRuntimeException e) {
      VmSteps.emit(check, Map.of("error", e.getStatus().getCode().name(), "message", String.valueOf(e.getStatus().getDescription())));
    }
  }

  private void bricks(String check, String volume) {
    try {
      VmSteps.emit(check, Map.of("bricks", snaps.getSnapshotBricks(SnapshotBricksRequest.newBuilder().setVolume(volume).build())
          .getBricksList().stream().map(b -> Map.of("brick", b.getBrick(), "device", b.getDevice(), "vg", b.getVg(), "lv", b.getLv(),
              "pool", b.getPool(), "thin", b.getThin(), "poolDataPercent", b.getPoolDataPercent(), "problem", b.getProblem()))
          .toList()));
    } catch (StatusRuntimeException e) {
      VmSteps.emit(check, Map.of("error", e.getStatus().getCode().name(), "message", String.valueOf(e.getStatus().getDescription())));
    }
  }

  private static Map<String, Object> snapshot(Snapshot x) {
    return Map.of("name", x.getName(), "volume", x.getVolume(), "activated", x.getActivated(), "status", x.getStatus(),
        "description", x.getDescription(), "createTime", x.getCreateTime(), "uuid", x.getUuid());
  }

  /** Loopback + the node's address on lo and in /etc/hosts (overlay copies). */
  private void node() throws IOException {
    out.command("lo-up", Command.of("ip", "link", "set", "lo", "up"));
    out.command("addr", Command.of("ip", "addr", "add", ADDR + "/32", "dev", "lo"));
    Files.writeString(Path.of("/etc/hosts"), "127.0.0.1 localhost\n" + ADDR + " " + HOST + "\n");
    Files.writeString(Path.of("/etc/hostname"), HOST + "\n");
  }

  /** A fresh glusterd: the guest's /var/lib/glusterd is the host's (overlay copy), emptied first. */
  private void glusterd() throws Exception {
    out.command("glusterd-state", Command.of("rm", "-rf", "/var/lib/glusterd", "/var/log/glusterfs"));
    Files.createDirectories(Path.of("/var/lib/glusterd"));
    Files.createDirectories(Path.of("/var/log/glusterfs"));
    Files.createDirectories(Path.of("/run/gluster"));
    // gsyncd under TCG: see GuestGluster
    GuestGluster.hideGsyncd();
    long start = System.nanoTime();
    Process glusterd = Daemons.spawn(List.of("glusterd", "-N", "-p", "/run/glusterd.pid"), outDir.resolve("glusterd.out"),
        Map.of("LC_ALL", "C"));
    boolean up = false;
    boolean withGsyncd = false;
    for (int i = 0; i < 240 && !up; i++) {
      if (!glusterd.isAlive() && !withGsyncd && Files.exists(GuestGluster.HIDDEN)) {
        // this glusterd does need gsyncd after all: put it back, start again (and say so)
        GuestGluster.restoreGsyncd();
        withGsyncd = true;
        VmSteps.emit("glusterd-needs-gsyncd", Map.of("exit", glusterd.exitValue()));
        glusterd = Daemons.spawn(List.of("glusterd", "-N", "-p", "/run/glusterd.pid"), outDir.resolve("glusterd.out"),
            Map.of("LC_ALL", "C"));
      }
      // A short CLI timeout: a call that reaches glusterd before it serves would otherwise wait the
      // full 120 s (seen: 137 s until "up").
      up = runner.run(Command.of("gluster", "--mode=script", "--timeout=5", "--", "pool", "list")
          .withTimeout(Duration.ofSeconds(10))).ok();
      if (!up) {
        Thread.sleep(500);
      }
    }
    VmSteps.emit("glusterd", Map.of("up", up, "millis", (System.nanoTime() - start) / 1_000_000));
  }

  static Command cli(boolean xml, String... args) {
    List<String> a = new ArrayList<>(List.of("gluster", "--mode=script", "--timeout=120"));
    if (xml) {
      a.add("--xml");
    }
    a.add("--");
    a.addAll(List.of(args));
    return Command.of(a).withTimeout(Duration.ofSeconds(135));
  }

  /** A read kept verbatim in the out share (raw/NAME). */
  private void raw(String name, Command c) throws IOException {
    CommandResult r = out.command("raw-" + name, c);
    Files.createDirectories(outDir.resolve("raw"));
    Files.writeString(outDir.resolve("raw").resolve(name), r.stdout());
  }

  private Path fuse(String check, String source, String target) throws IOException {
    Path t = Files.createDirectories(Path.of(target));
    out.command(check, Command.of("mount", "-t", "glusterfs", source, target));
    return t;
  }

  private static void write(Path root, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** sha256 of every regular file under root by relative path (.snaps and gluster internals skipped). */
  private static Map<String, String> sums(String check, Path root) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        m.put(root.relativize(p).toString(), HexFormat.of().formatHex(d.digest(Files.readAllBytes(p))));
      }
    } catch (IOException e) {
      m.put("<error>", e.toString());
    }
    VmSteps.emit(check, Map.of("sums", m));
    return m;
  }
}
