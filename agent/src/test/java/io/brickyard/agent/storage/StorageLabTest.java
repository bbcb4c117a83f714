package io.brickyard.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.brickyard.agent.AgentContext;
import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.FilesystemInfo;
import io.brickyard.api.agent.v1.GetFilesystemRequest;
import io.brickyard.api.agent.v1.GetMountsRequest;
import io.brickyard.api.agent.v1.MountReport;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveMountRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.ProcessRunner;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real StorageServiceImpl, through a real gRPC stub, with the real ProcessRunner, on loop
 * devices over sparse files: real mkfs.xfs, wipefs, blkid, findmnt, mount, umount. fstab is a
 * temp file (never /etc/fstab); mounts are under a temp dir. Needs root.
 */
@Tag("lab")
class StorageLabTest {
  private static final ProcessRunner RUN = new ProcessRunner();
  @TempDir Path tmp;
  private final List<String> loops = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Path fstab;
  private Server server;
  private ManagedChannel channel;
  private StorageServiceGrpc.StorageServiceBlockingStub stub;

  @BeforeEach
  void start() throws IOException {
    fstab = tmp.resolve("etc/fstab");
    Files.createDirectories(fstab.getParent());
    Files.writeString(fstab, "# test fstab\n\n");
    AgentContext ctx = new AgentContext(RUN, null, new AgentContext.Paths(fstab, tmp.resolve("state")),
        new SimpleMeterRegistry());
    String name = "storage-lab-" + System.nanoTime();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new StorageServiceImpl(ctx))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = StorageServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    processes.forEach(Process::destroyForcibly);
    for (Process p : processes) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    channel.shutdownNow();
    server.shutdownNow();
    List<String> ours = new ArrayList<>();
    for (MountTable.Mount m : MountTable.parse(RUN.run(MountTable.all()).stdout()).mounts()) {
      if (m.target().startsWith(tmp.toString() + "/")) {
        ours.add(m.target());
      }
    }
    Collections.reverse(ours);
    ours.forEach(t -> RUN.run("umount", t));
    loops.forEach(l -> RUN.run("losetup", "-d", l));
  }

  private String loop(String name) throws IOException {
    Path img = tmp.resolve(name + ".img");
    RUN.runChecked(Command.of("truncate", "-s", "512M", img.toString()));
    String dev = RUN.runChecked(Command.of("losetup", "-f", "--show", img.toString())).stdout().strip();
    loops.add(dev);
    return dev;
  }

  /** The brick mount options the service uses when the request names none. */
  private static final String OPTS = String.join(",", Mounter.DEFAULT_OPTIONS);

  /** As the coordinator does it: a dry run shows the device, the real run is bound to its digest. */
  private OperationResult wipeToXfs(String dev) {
    EnsureXfsRequest req = EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(true).build();
    OperationResult plan = stub.ensureXfs(req.toBuilder().setOptions(RequestOptions.newBuilder().setDryRun(true)).build());
    return stub.ensureXfs(req.toBuilder().setOptions(RequestOptions.newBuilder()
        .setExpectedDeviceDigest(plan.getDevice().getDigest())).build());
  }

  private static CommandResult sh(String... argv) {
    return RUN.runChecked(Command.of(argv));
  }

  private static List<String> argv0(OperationResult r) {
    return r.getCommandsList().stream().map(c -> c.getArgv(0)).toList();
  }

  private String mp(String name) {
    return tmp.resolve("gluster").resolve(name).toString();
  }

  private static EnsureMountRequest mount(String dev, String mp, String... options) {
    return EnsureMountRequest.newBuilder().setDevice(dev).setMountPoint(mp).addAllMountOptions(List.of(options))
        .build();
  }

  private static boolean mountedAt(String mp) {
    return !MountTable.parse(RUN.run(MountTable.all()).stdout()).at(mp).isEmpty();
  }

  private static void assertRefused(Runnable call, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).contains(reason);
    });
  }

  @Test
  void fullLifecycleConvergesAndTearsDown() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");

    OperationResult x = stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).setLabel("brick1").build());
    assertThat(x.getChanged()).isTrue();
    assertThat(x.getCommandsList()).anySatisfy(c -> assertThat(c.getArgvList())
        .containsExactly("mkfs.xfs", "-i", "size=512", "-n", "size=8192", "-L", "brick1", dev));
    FilesystemInfo fs = stub.getFilesystem(GetFilesystemRequest.newBuilder().setDevice(dev).build());
    assertThat(fs.getType()).isEqualTo("xfs");
    assertThat(fs.getLabel()).isEqualTo("brick1");
    assertThat(fs.getUuid()).isNotEmpty();
    assertThat(x.getSummary()).contains(fs.getUuid());
    assertThat(sh("xfs_db", "-r", "-c", "sb 0", "-c", "p inodesize", dev).stdout()).contains("inodesize = 512");
    assertThat(stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build()).getChanged()).isFalse();

    OperationResult m = stub.ensureMount(mount(dev, mp));
    assertThat(m.getChanged()).isTrue();
    assertThat(argv0(m)).containsExactly("brickyard:mkdir", "mount", "brickyard:fstab");
    assertThat(mountedAt(mp)).isTrue();
    String line = dev + " " + mp + " xfs " + OPTS + " 0 0 # managed by brickyard\n";
    assertThat(Files.readString(fstab)).isEqualTo("# test fstab\n\n" + line);
    assertThat(Files.readString(tmp.resolve("etc/fstab.brickyard.bak"))).isEqualTo("# test fstab\n\n");
    // libmount itself reads our line (marker and all) as a normal entry.
    MountTable viaLibmount = MountTable.parse(sh("findmnt", "--tab-file", fstab.toString(), "--json", "--list",
        "-o", MountTable.COLUMNS).stdout());
    assertThat(viaLibmount.at(mp)).singleElement().satisfies(e -> {
      assertThat(e.source()).isEqualTo(dev);
      assertThat(e.options()).isEqualTo(OPTS);
    });
    OperationResult again = stub.ensureMount(mount(dev, mp));
    assertThat(again.getChanged()).isFalse();
    assertThat(again.getCommandsList()).isEmpty();

    String brick = mp + "/brick";
    assertThat(stub.ensureBrickDirectory(EnsureBrickDirectoryRequest.newBuilder().setPath(brick).build())
        .getChanged()).isTrue();
    assertThat(Path.of(brick)).isDirectory();
    assertThat(MountTable.parse(sh("findmnt", "--json", "--list", "-o", MountTable.COLUMNS, "--target", brick)
        .stdout()).mounts().get(0).target()).isEqualTo(mp);
    assertThat(stub.ensureBrickDirectory(EnsureBrickDirectoryRequest.newBuilder().setPath(brick).build())
        .getChanged()).isFalse();

    MountReport report = stub.getMounts(GetMountsRequest.getDefaultInstance());
    assertThat(report.getMountsList()).anySatisfy(e -> {
      assertThat(e.getTarget()).isEqualTo(mp);
      assertThat(e.getFsType()).isEqualTo("xfs");
    });
    assertThat(report.getFstabList()).singleElement().satisfies(e -> {
      assertThat(e.getFile()).isEqualTo(mp);
      assertThat(e.getManagedByBrickyard()).isTrue();
    });
    assertThat(stub.getFilesystem(GetFilesystemRequest.newBuilder().setDevice(dev).build()).getMountpointsList())
        .containsExactly(mp);

    OperationResult rm = stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build());
    assertThat(rm.getChanged()).isTrue();
    assertThat(argv0(rm)).containsExactly("umount", "brickyard:fstab");
    assertThat(mountedAt(mp)).isFalse();
    assertThat(Files.readString(fstab)).isEqualTo("# test fstab\n\n");
    assertThat(Files.readString(tmp.resolve("etc/fstab.brickyard.bak"))).isEqualTo("# test fstab\n\n" + line);
    assertThat(stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build()).getChanged()).isFalse();
    assertThat(stub.getFilesystem(GetFilesystemRequest.newBuilder().setDevice(dev).build()).getType())
        .as("RemoveMount never touches the filesystem").isEqualTo("xfs");
  }

  @Test
  void dryRunReportsButChangesNothing() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    RequestOptions dry = RequestOptions.newBuilder().setDryRun(true).build();
    OperationResult x = stub.ensureXfs(EnsureXfsRequest.newBuilder().setOptions(dry).setDevice(dev).build());
    assertThat(x.getChanged()).isTrue();
    assertThat(x.getDryRun()).isTrue();
    assertThat(x.getCommandsList()).filteredOn(CommandRecord::getPlannedOnly).singleElement()
        .satisfies(c -> assertThat(c.getArgv(0)).isEqualTo("mkfs.xfs"));
    assertThat(RUN.run("blkid", "-p", dev).exitCode()).as("still blank").isEqualTo(2);

    stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build());
    byte[] before = Files.readAllBytes(fstab);
    OperationResult m = stub.ensureMount(mount(dev, mp).toBuilder().setOptions(dry).build());
    assertThat(m.getChanged()).isTrue();
    assertThat(argv0(m)).containsExactly("brickyard:mkdir", "mount", "brickyard:fstab");
    assertThat(m.getCommandsList()).allMatch(CommandRecord::getPlannedOnly);
    assertThat(Path.of(mp)).doesNotExist();
    assertThat(Files.readAllBytes(fstab)).isEqualTo(before);
    assertThat(tmp.resolve("etc/fstab.brickyard.bak")).doesNotExist();
    assertThat(mountedAt(mp)).isFalse();
  }

  @Test
  void signatureRefusedWithoutWipeAndWipedWithIt() {
    String dev;
    try {
      dev = loop("a");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    sh("mkfs.ext4", "-q", "-L", "olddata", dev);
    assertRefused(() -> stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build()), "ext4");
    assertThat(Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).type()).isEqualTo("ext4");

    // wipe alone is not enough: the real request must carry the digest of the device a plan showed.
    assertRefused(() -> stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(true).build()),
        "expected_device_digest");
    assertThat(Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).type()).isEqualTo("ext4");
    OperationResult plan = stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(true)
        .setOptions(RequestOptions.newBuilder().setDryRun(true)).build());
    assertThat(plan.getDevice().getKernelName()).isEqualTo(dev.substring("/dev/".length()));
    assertThat(plan.getDevice().getSizeBytes()).isEqualTo(512L << 20);
    assertThat(plan.getDevice().getSignaturesList()).singleElement().asString().startsWith("ext4 at 0x438")
        .contains("LABEL olddata");
    // The device changes after the plan (another filesystem now): the planned digest no longer fits.
    sh("mkfs.ext4", "-q", "-F", "-L", "newdata", dev);
    assertRefused(() -> stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(true)
        .setOptions(RequestOptions.newBuilder().setExpectedDeviceDigest(plan.getDevice().getDigest())).build()),
        "not what the plan showed");
    assertThat(Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).label()).isEqualTo("newdata");

    OperationResult r = wipeToXfs(dev);
    assertThat(r.getChanged()).isTrue();
    assertThat(r.getCommandsList()).extracting(c -> String.join(" ", c.getArgvList()))
        .containsExactly("wipefs --all " + dev, "mkfs.xfs -i size=512 -n size=8192 " + dev);
    assertThat(stub.getFilesystem(GetFilesystemRequest.newBuilder().setDevice(dev).build()).getType()).isEqualTo("xfs");
  }

  @Test
  void partitionTableRefusedWithoutWipe() throws IOException {
    // A DOS partition table written by hand (no sfdisk on this machine): one Linux partition at
    // LBA 2048, 65536 sectors, and the 0x55AA boot signature.
    Path img = tmp.resolve("pt.img");
    java.nio.ByteBuffer mbr = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    mbr.put(446 + 4, (byte) 0x83).putInt(446 + 8, 2048).putInt(446 + 12, 65536);
    mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
    sh("truncate", "-s", "512M", img.toString());
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(mbr, 0);
    }
    String dev = sh("losetup", "-f", "--show", img.toString()).stdout().strip();
    loops.add(dev);
    assertThat(Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).partitionTable()).isEqualTo("dos");
    assertRefused(() -> stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build()), "dos");
    assertRefused(() -> stub.ensureMount(mount(dev, mp("vol1/brick1"))), "no xfs filesystem");
    OperationResult r = wipeToXfs(dev);
    assertThat(argv0(r)).containsExactly("wipefs", "mkfs.xfs");
    assertThat(Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).partitionTable()).isEmpty();
  }

  @Test
  void existingXfsIsConvergedEvenWithWipeAndNeverRemade() throws IOException {
    String dev = loop("a");
    sh("mkfs.xfs", "-q", "-L", "keepme", dev);
    String uuid = Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).uuid();
    OperationResult r = stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(true).setLabel("other").build());
    assertThat(r.getChanged()).isFalse();
    assertThat(r.getWarningsList()).anySatisfy(w -> assertThat(w).contains("keepme"));
    assertThat(Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).uuid()).isEqualTo(uuid);
  }

  @Test
  void mountedDeviceRefusedEvenWithWipe() throws IOException {
    String dev = loop("a");
    sh("mkfs.ext4", "-q", dev);
    Path where = Files.createDirectories(tmp.resolve("handmount"));
    sh("mount", dev, where.toString());
    assertRefused(() -> stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(true).build()), "mounted at");
    assertThat(mountedAt(where.toString())).isTrue();
  }

  @Test
  void mountConflictsAreRefused() throws IOException {
    String a = loop("a");
    String b = loop("b");
    sh("mkfs.xfs", "-q", a);
    sh("mkfs.xfs", "-q", b);
    String mp = mp("vol1/brick1");
    Files.createDirectories(Path.of(mp));
    sh("mount", a, mp);
    assertRefused(() -> stub.ensureMount(mount(b, mp)), "already has " + a);
    assertRefused(() -> stub.ensureMount(mount(a, mp("vol2/brick1"))), "already mounted at " + mp);
    assertThat(Files.readString(fstab)).isEqualTo("# test fstab\n\n");
    assertThat(Path.of(mp("vol2/brick1"))).doesNotExist();
    // Not brickyard's mount (no owned fstab line): RemoveMount will not unmount it.
    assertRefused(() -> stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build()), "not brickyard's");
    assertThat(mountedAt(mp)).isTrue();
  }

  @Test
  void adminFstabLineIsNeverTouched() throws IOException {
    String dev = loop("a");
    sh("mkfs.xfs", "-q", dev);
    String mp = mp("vol1/brick1");
    String admin = "# test fstab\n/dev/admin-disk " + mp + " xfs defaults 0 0\n";
    Files.writeString(fstab, admin);
    assertRefused(() -> stub.ensureMount(mount(dev, mp)), "does not manage");
    assertRefused(() -> stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build()), "not managed");
    assertThat(Files.readString(fstab)).isEqualTo(admin);
    assertThat(mountedAt(mp)).isFalse();
  }

  @Test
  void killedAfterMkfsAndFstabLineConvergesByMountingOnly() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    // State after a kill between "fstab written" and "mount": done by hand here.
    sh("mkfs.xfs", "-q", "-i", "size=512", "-n", "size=8192", dev);
    Files.createDirectories(Path.of(mp));
    String content = "# test fstab\n\n" + dev + " " + mp + " xfs " + OPTS + " 0 0 # managed by brickyard\n";
    Files.writeString(fstab, content);

    assertThat(stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build()).getChanged()).isFalse();
    OperationResult m = stub.ensureMount(mount(dev, mp));
    assertThat(m.getChanged()).isTrue();
    assertThat(argv0(m)).containsExactly("mount");
    assertThat(mountedAt(mp)).isTrue();
    assertThat(Files.readString(fstab)).isEqualTo(content);
  }

  @Test
  void killedAfterMkfsOnlyConvergesWithUuidLine() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    sh("mkfs.xfs", "-q", dev);
    String uuid = Blkid.parse(sh("blkid", "-p", "-o", "export", dev).stdout()).uuid();
    OperationResult m = stub.ensureMount(mount(dev, mp).toBuilder().setFstabByUuid(true).build());
    assertThat(argv0(m)).containsExactly("brickyard:mkdir", "mount", "brickyard:fstab");
    assertThat(Files.readString(fstab)).contains("UUID=" + uuid + " " + mp + " xfs " + OPTS + " 0 0");
    assertThat(mountedAt(mp)).isTrue();
    // Half-way teardown: unmounted by hand, line still there. RemoveMount finishes the job.
    sh("umount", mp);
    OperationResult rm = stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build());
    assertThat(argv0(rm)).containsExactly("brickyard:fstab");
    assertThat(Files.readString(fstab)).isEqualTo("# test fstab\n\n");
  }

  @Test
  void busyMountIsAClearRefusalNotALazyUnmount() throws IOException, InterruptedException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build());
    stub.ensureMount(mount(dev, mp));
    Process p = new ProcessBuilder("sleep", "600").directory(Path.of(mp).toFile()).start();
    processes.add(p);
    assertRefused(() -> stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build()), "busy");
    assertThat(mountedAt(mp)).isTrue();
    assertThat(FstabFile.load(fstab).owned(mp)).isPresent();
    p.destroyForcibly();
    p.waitFor();
    assertThat(stub.removeMount(RemoveMountRequest.newBuilder().setMountPoint(mp).build()).getChanged()).isTrue();
    assertThat(mountedAt(mp)).isFalse();
  }

  @Test
  void brickDirectoryGuards() throws IOException {
    String onRoot = tmp.resolve("plain/brick").toString();
    CommandResult holder = sh("findmnt", "--json", "--list", "-o", MountTable.COLUMNS, "--target", tmp.toString());
    assumeThat(MountTable.parse(holder.stdout()).mounts().get(0).target()).as("temp dir on /").isEqualTo("/");
    assertRefused(() -> stub.ensureBrickDirectory(EnsureBrickDirectoryRequest.newBuilder().setPath(onRoot).build()),
        "root filesystem");
    assertThat(Path.of(onRoot)).doesNotExist();
    assertThat(stub.ensureBrickDirectory(EnsureBrickDirectoryRequest.newBuilder().setPath(onRoot)
        .setAllowRootFilesystem(true).build()).getChanged()).isTrue();
    assertThat(Path.of(onRoot)).isDirectory();

    // fstab declares the mount but it is not mounted: refused even with allow_root_filesystem.
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    stub.ensureXfs(EnsureXfsRequest.newBuilder().setDevice(dev).build());
    stub.ensureMount(mount(dev, mp));
    sh("umount", mp);
    assertRefused(() -> stub.ensureBrickDirectory(EnsureBrickDirectoryRequest.newBuilder().setPath(mp + "/brick")
        .setAllowRootFilesystem(true).build()), "not mounted");
    assertThat(Path.of(mp + "/brick")).doesNotExist();
  }

  @Test
  void fstabLineIsWrittenOnlyAfterTheMountSucceeded() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    sh("mkfs.xfs", "-q", dev);
    // XFS rejects an unknown option: the mount fails, and no line may be left for the next boot.
    assertThatThrownBy(() -> stub.ensureMount(mount(dev, mp).toBuilder().addMountOptions("rw")
        .addMountOptions("nosuchoption").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
    assertThat(mountedAt(mp)).isFalse();
    assertThat(Files.readString(fstab)).isEqualTo("# test fstab\n\n");
  }

  @Test
  void aNonEmptyDirectoryIsNeverMountedOver() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    sh("mkfs.xfs", "-q", dev);
    Files.createDirectories(Path.of(mp));
    Files.writeString(Path.of(mp, "precious.txt"), "data");
    assertRefused(() -> stub.ensureMount(mount(dev, mp)), "not empty (precious.txt)");
    assertThat(mountedAt(mp)).isFalse();
    assertThat(Files.readString(fstab)).isEqualTo("# test fstab\n\n");
    // Its own mount, with files on the brick, is of course fine.
    Files.delete(Path.of(mp, "precious.txt"));
    stub.ensureMount(mount(dev, mp));
    Files.writeString(Path.of(mp, "on-the-brick.txt"), "data");
    assertThat(stub.ensureMount(mount(dev, mp)).getChanged()).isFalse();
  }

  @Test
  void anExistingMountConvergesToNewOptionsByARemountInPlace() throws IOException {
    String dev = loop("a");
    String mp = mp("vol1/brick1");
    sh("mkfs.xfs", "-q", dev);
    // As mounted by an earlier version: without nofail,nosuid,nodev.
    OperationResult old = stub.ensureMount(mount(dev, mp, "rw", "noatime", "nouuid", "inode64"));
    assertThat(old.getChanged()).isTrue();
    assertThat(MountTable.parse(RUN.run(MountTable.all()).stdout()).at(mp).get(0).hasOption("nosuid")).isFalse();
    Files.writeString(Path.of(mp, "open-file"), "the brick stays mounted");

    OperationResult now = stub.ensureMount(mount(dev, mp));
    assertThat(now.getCommandsList()).extracting(c -> String.join(" ", c.getArgvList())).containsExactly(
        "mount -o remount," + OPTS + " " + mp,
        "brickyard:fstab replace " + dev + " " + mp + " xfs " + OPTS + " 0 0 # managed by brickyard");
    MountTable.Mount live = MountTable.parse(RUN.run(MountTable.all()).stdout()).at(mp).get(0);
    assertThat(live.hasOption("nosuid") && live.hasOption("nodev") && live.hasOption("noatime")).as(live.options()).isTrue();
    assertThat(Files.readString(Path.of(mp, "open-file"))).isEqualTo("the brick stays mounted");
    // nofail is for mount(8) at boot only; the kernel never shows it, so this is converged.
    OperationResult again = stub.ensureMount(mount(dev, mp));
    assertThat(again.getChanged()).isFalse();
    assertThat(again.getCommandsList()).isEmpty();
  }

  @Test
  void systemDirectoriesAreRefusedAsMountPoints() throws IOException {
    String dev = loop("a");
    sh("mkfs.xfs", "-q", dev);
    for (String mp : List.of("/var/lib/glusterd", "/etc", "/var", "/run/x")) {
      assertThatThrownBy(() -> stub.ensureMount(mount(dev, mp))).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).startsWith("mount_point: " + mp + " is");
          });
    }
    // Through a symlink too: a link to /etc is checked where it leads.
    Path link = tmp.resolve("link-to-etc");
    Files.createSymbolicLink(link, Path.of("/etc"));
    assertRefused(() -> stub.ensureMount(mount(dev, link + "/bricks")), "resolves to /etc/bricks");
    assertThat(Path.of("/etc/bricks")).doesNotExist();
  }
}
