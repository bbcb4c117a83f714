package io.brickyard.agent.vm;

import io.brickyard.common.exec.Daemons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One throw-away VM: the distribution kernel + our initramfs under TCG (no KVM here), the host's /
 * shared read-only over virtio-9p, raw sparse disk files as /dev/vda, /dev/vdb... (or /dev/sda...
 * on virtio-scsi), a writable 9p share for files the guest hands back (and more shares if asked),
 * no network device unless a point-to-point link to another guest is asked for ({@link #udpLink}),
 * serial console to a log file. The guest powers itself off. A watchdog polls the console: when
 * it stops growing for {@code brickyard.vm.stallSeconds} (default 240) or the hard timeout passes,
 * the vCPU state is read over QMP and a {@link VmStallError} with a {@link StallReport} is thrown before qemu is
 * killed (CI once hung with nothing but BIOS lines on the console and nothing else to go on).
 */
final class QemuVm {
  private final VmHost host;
  private final Path workDir;
  private final List<Path> disks = new ArrayList<>();
  private final List<Path> scsiDisks = new ArrayList<>();
  private final Map<String, Path> shares = new java.util.LinkedHashMap<>();
  private List<String> net = List.of("-nic", "none");
  private Path outDir;
  private Duration timeout = Duration.ofMinutes(10);
  private Duration stall = Duration.ofSeconds(Long.getLong("brickyard.vm.stallSeconds", 240));
  private String smp = System.getProperty("brickyard.vm.smp", defaultSmp());
  private final Path qmpSocket;

  QemuVm(VmHost host, Path workDir) {
    this.host = host;
    this.workDir = workDir;
    Path sock = workDir.resolve("qmp.sock");
    // sun_path holds 108 bytes; a deep temp dir would make qemu fail to start, not just lose QMP.
    this.qmpSocket = sock.toString().length() < 100 ? sock
        : Path.of("/tmp", "brickyard-qmp-" + ProcessHandle.current().pid() + "-" + sock.hashCode() + ".sock");
  }

  /** Adds a raw disk; the first is /dev/vda, the second /dev/vdb, ... */
  QemuVm disk(Path raw) {
    disks.add(raw);
    return this;
  }

  /**
   * Adds a raw disk on a virtio-scsi controller; the first is /dev/sda, the second /dev/sdb ...
   * (a spec naming /dev/sda runs unchanged; the virtio-blk disks of {@link #disk} are /dev/vdX).
   */
  QemuVm scsiDisk(Path raw) {
    scsiDisks.add(raw);
    return this;
  }

  /** Another writable host directory, mounted in the guest with {@code mount -t 9p TAG DIR}. */
  QemuVm share(String tag, Path dir) {
    shares.put(tag, dir);
    return this;
  }

  /**
   * One virtio-net NIC on a point-to-point link to one other guest: qemu's UDP socket backend
   * ({@code -netdev socket,udp=}) sends each Ethernet frame as a datagram from 127.0.0.1:localPort
   * to 127.0.0.1:remotePort. Nothing reaches the host's network stack beyond those two loopback
   * ports, and unlike {@code listen=}/{@code connect=} neither guest has to start first (a retried
   * boot just rebinds its port).
   */
  QemuVm udpLink(String mac, int localPort, int remotePort) {
    this.net = List.of("-netdev", "socket,id=link0,udp=127.0.0.1:" + remotePort + ",localaddr=127.0.0.1:" + localPort,
        "-device", "virtio-net-pci,netdev=link0,mac=" + mac);
    return this;
  }

  /** A writable host directory the guest mounts with {@code mount -t 9p brickyardout DIR}. */
  QemuVm outDir(Path dir) {
    this.outDir = dir;
    return this;
  }

  QemuVm timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  /** No console growth for this long counts as a stall. */
  QemuVm stallAfter(Duration d) {
    this.stall = d;
    return this;
  }

  /**
   * Two guest vCPUs are two busy TCG threads: on a host with fewer than 4 usable CPUs (JDK 17 counts
   * cgroup quotas) they compete with each other, qemu's I/O thread and the test JVM, and a guest
   * spinning on a lock held by a descheduled vCPU crawls: with both pinned to one host CPU the run
   * took 378 s (boot 40 s) instead of ~170 s (it did not hang, so this is not the explanation of
   * the CI hang that made us add the watchdog). One vCPU took 202 s against 167 s for two on this
   * idle 2-core machine: a small price for not depending on the scheduler.
   */
  static String defaultSmp() {
    return Runtime.getRuntime().availableProcessors() >= 4 ? "2" : "1";
  }

  QemuVm smp(String cpus) {
    this.smp = cpus;
    return this;
  }

  /** A sparse raw disk file of {@code bytes} (costs no space until written). */
  static Path sparseDisk(Path file, long bytes) throws IOException {
    try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes);
    }
    return file;
  }

  List<String> argv(Path initrd) {
    List<String> a = new ArrayList<>(List.of(host.qemu().toString(),
        "-machine", "q35", "-accel", "tcg", "-m", "2048", "-smp", smp,
        "-nographic", "-no-reboot"));
    a.addAll(net);
    a.addAll(List.of("-kernel", host.kernel().toString(), "-initrd", initrd.toString(),
        "-append", "console=ttyS0 earlyprintk=serial,ttyS0 loglevel=5 printk.time=1 panic=-1 nokaslr",
        "-qmp", "unix:" + qmpSocket + ",server=on,wait=off",
        "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"));
    if (outDir != null) {
      a.addAll(List.of("-virtfs", "local,path=" + outDir + ",mount_tag=brickyardout,security_model=none"));
    }
    for (Map.Entry<String, Path> s : shares.entrySet()) {
      a.addAll(List.of("-virtfs", "local,path=" + s.getValue() + ",mount_tag=" + s.getKey() + ",security_model=none"));
    }
    for (Path d : disks) {
      a.addAll(List.of("-drive", "file=" + d + ",format=raw,if=virtio,cache=unsafe"));
    }
    if (!scsiDisks.isEmpty()) {
      a.addAll(List.of("-device", "virtio-scsi-pci,id=scsi0"));
      for (int i = 0; i < scsiDisks.size(); i++) {
        a.addAll(List.of("-drive", "file=" + scsiDisks.get(i) + ",format=raw,if=none,id=byscsi" + i + ",cache=unsafe",
            "-device", "scsi-hd,drive=byscsi" + i + ",bus=scsi0.0,channel=0,scsi-id=0,lun=" + i));
      }
    }
    return a;
  }

  /** Boots with {@code initramfs}, waits for power-off, returns the serial console output. */
  String run(byte[] initramfs) throws IOException, InterruptedException {
    Path initrd = Files.write(workDir.resolve("initramfs.cpio"), initramfs);
    Path console = workDir.resolve("console.log");
    List<String> argv = argv(initrd);
    Process qemu = Daemons.spawn(argv, console, Map.of());
    try {
      watch(qemu, console, argv);
    } finally {
      if (qemu.isAlive()) {
        qemu.descendants().forEach(ProcessHandle::destroyForcibly);
        qemu.destroyForcibly();
        qemu.waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(qmpSocket);
    }
    return Files.readString(console).replace("\r", "");
  }

  /** Polls every 2 s until qemu exits; throws a diagnosed {@link VmStallError} on a stall or timeout. */
  private void watch(Process qemu, Path console, List<String> argv) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long lastGrowth = start;
    long lastSize = -1;
    while (!qemu.waitFor(2, TimeUnit.SECONDS)) {
      long now = System.nanoTime();
      long size = Files.size(console);
      if (size != lastSize) {
        lastSize = size;
        lastGrowth = now;
      }
      String reason = null;
      if (now - lastGrowth >= stall.toNanos()) {
        reason = "no console output for " + (now - lastGrowth) / 1_000_000_000L + " s (stall limit "
            + stall.toSeconds() + " s, -Dbrickyard.vm.stallSeconds)";
      } else if (now - start >= timeout.toNanos()) {
        reason = "not powered off within " + timeout.toSeconds() + " s (console still growing)";
      }
      if (reason != null) {
        throw new VmStallError(diagnose(reason, (now - start) / 1_000_000_000L, console, argv));
      }
    }
  }

  /** Reads the vCPUs over QMP while qemu still runs; never throws for a missing piece. */
  private StallReport diagnose(String reason, long elapsed, Path console, List<String> argv) throws IOException {
    List<CpuState> cpus = List.of();
    String note;
    try {
      Map<String, String> a = Qmp.hmp(qmpSocket, List.of("info registers -a", "info cpus"), Duration.ofSeconds(20));
      cpus = CpuState.parse(a.get("info registers -a"));
      note = a.get("info cpus");
    } catch (Exception e) {
      note = "QMP failed: " + e;
    }
    String loadavg;
    try {
      loadavg = Files.readString(Path.of("/proc/loadavg"));
    } catch (IOException e) {
      loadavg = "unreadable: " + e;
    }
    return StallReport.of(reason, elapsed, Files.readString(console), cpus, note, symbols(), loadavg, argv);
  }

  /** The guest's own kallsyms dump (see {@link Initramfs}) if it got that far, else System.map. */
  SymbolTable symbols() {
    SymbolTable guest = outDir == null ? SymbolTable.none("no out share") : SymbolTable.read(outDir.resolve("kallsyms"));
    if (!guest.isEmpty()) {
      return guest;
    }
    SymbolTable map = SymbolTable.read(host.systemMap());
    return map.isEmpty() ? SymbolTable.none("none: guest kallsyms: " + guest.source() + "; " + map.source()) : map;
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}
