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
 * GlusterService, then gluster snapshots. The host test judges; this only reports ({@link VmSteps})
 * and keeps every {@code --xml} answer in the out share ({@code xml/NAME.xml}) as parser fixtures.
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
  private final ProcessRunner runner;
  private final VmSteps out;
  private final Path outDir;

  private SnapshotVmScenario(ManagedChannel ch, ProcessRunner runner, Path outDir) {
    this.lvm = LvmServiceGrpc.newBlockingStub(ch);
    this.storage = StorageServiceGrpc.newBlockingStub(ch);
    this.gluster = GlusterServiceGrpc.newBlockingStub(ch);
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
        .addService(new GlusterServiceImpl(runner, Duration.ofMillis(500))).build().start();
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
    Files.createDirectories(outDir.resolve("xml"));

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

    Path live = fuse("mount-live", HOST + ":/" + VOL, "/mnt/live");
    write(live, Map.of("a.txt", "alpha\n", "b.bin", "bravo ".repeat(10_000), "dir/c.txt", "charlie\n"));
    Map<String, String> before = sums("sums-before", live);

    xml("create", "snapshot", "create", "snap1", VOL, "no-timestamp", "description", "first snapshot");
    xml("create-duplicate", "snapshot", "create", "snap1", VOL, "no-timestamp");
    xml("create-thick", "snapshot", "create", "snapthick", "thickvol", "no-timestamp");
    xml("create-plain", "snapshot", "create", "snapplain", "plainvol", "no-timestamp");
    xml("create-timestamped", "snapshot", "create", "snapts", VOL);
    // What GetSnapshotBricks reads, kept raw as fixtures for ThinBricksTest.
    raw("findmnt-thin.json", io.brickyard.agent.storage.MountTable.containing("/gluster/" + VOL + "/brick1/brick"));
    raw("findmnt-thick.json", io.brickyard.agent.storage.MountTable.containing("/gluster/thick/brick1/brick"));
    raw("findmnt-plain.json", io.brickyard.agent.storage.MountTable.containing("/gluster/plain/brick1/brick"));
    raw("lvs.json", io.brickyard.agent.lvm.LvmJson.lvsCommand());
    raw("pool-list.xml", cli(true, "pool", "list"));
    raw("volume-info-thickvol.xml", cli(true, "volume", "info", "thickvol"));

    // More data after the snapshot: changed, added and removed files.
    Files.writeString(live.resolve("a.txt"), "alpha changed\n");
    Files.writeString(live.resolve("d.txt"), "delta\n");
    Files.delete(live.resolve("b.bin"));
    sums("sums-after-write", live);

    xml("list-all", "snapshot", "list");
    xml("list-volume", "snapshot", "list", VOL);
    xml("list-empty-volume", "snapshot", "list", "plainvol");
    xml("info-snap", "snapshot", "info", "snap1");
    xml("info-volume", "snapshot", "info", "volume", VOL);
    xml("info-all", "snapshot", "info");
    xml("info-missing", "snapshot", "info", "nosuchsnap");
    xml("status-snap", "snapshot", "status", "snap1");
    xml("activate", "snapshot", "activate", "snap1");
    xml("activate-again", "snapshot", "activate", "snap1");
    xml("info-activated", "snapshot", "info", "snap1");
    Path snap = fuse("mount-snap", HOST + ":/snaps/snap1/" + VOL, "/mnt/snap1");
    sums("sums-snapshot", snap);
    out.command("umount-snap", Command.of("umount", snap.toString()));

    xml("clone", "snapshot", "clone", "clone1", "snap1");
    xml("clone-existing", "snapshot", "clone", "clone1", "snap1");
    out.command("clone-start", cli(false, "volume", "start", "clone1"));
    xml("clone-volinfo", "volume", "info", "clone1");
    Path clone = fuse("mount-clone", HOST + ":/clone1", "/mnt/clone1");
    sums("sums-clone", clone);
    out.command("umount-clone", Command.of("umount", clone.toString()));

    xml("deactivate", "snapshot", "deactivate", "snap1");
    xml("deactivate-again", "snapshot", "deactivate", "snap1");
    xml("restore-started", "snapshot", "restore", "snap1");

    out.command("umount-live", Command.of("umount", live.toString()));
    out.command("volume-stop", cli(false, "volume", "stop", VOL));
    xml("restore", "snapshot", "restore", "snap1");
    xml("list-after-restore", "snapshot", "list", VOL);
    xml("volinfo-after-restore", "volume", "info", VOL);
    out.command("volume-start-after-restore", cli(false, "volume", "start", VOL));
    Path restored = fuse("mount-restored", HOST + ":/" + VOL, "/mnt/restored");
    VmSteps.emit("restore-equals-snapshot", Map.of("equal", sums("sums-restored", restored).equals(before)));
    out.command("umount-restored", Command.of("umount", restored.toString()));

    xml("create-2", "snapshot", "create", "snap2", VOL, "no-timestamp");
    xml("delete", "snapshot", "delete", "snap2");
    xml("delete-missing", "snapshot", "delete", "snap2");
    xml("delete-timestamped-list", "snapshot", "list", VOL);
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
    long start = System.nanoTime();
    Daemons.spawn(List.of("glusterd", "-N", "-p", "/run/glusterd.pid"), outDir.resolve("glusterd.out"),
        Map.of("LC_ALL", "C"));
    boolean up = false;
    for (int i = 0; i < 240 && !up; i++) {
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

  /** One {@code --xml} answer, kept as a fixture (stdout) with its exit code and stderr on the console. */
  private CommandResult xml(String name, String... args) throws IOException {
    CommandResult r = out.command("xml-" + name, cli(true, args));
    Files.writeString(outDir.resolve("xml").resolve(name + ".xml"), r.stdout());
    return r;
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
