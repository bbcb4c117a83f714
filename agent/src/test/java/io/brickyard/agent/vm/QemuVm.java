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
 * shared read-only over virtio-9p, raw sparse disk files as /dev/vda, /dev/vdb..., a writable 9p
 * share for files the guest hands back, no network device, serial console to a log file. The
 * guest powers itself off; a hard timeout kills qemu if it does not.
 */
final class QemuVm {
  private final VmHost host;
  private final Path workDir;
  private final List<Path> disks = new ArrayList<>();
  private Path outDir;
  private Duration timeout = Duration.ofMinutes(10);

  QemuVm(VmHost host, Path workDir) {
    this.host = host;
    this.workDir = workDir;
  }

  /** Adds a raw disk; the first is /dev/vda, the second /dev/vdb, ... */
  QemuVm disk(Path raw) {
    disks.add(raw);
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

  /** A sparse raw disk file of {@code bytes} (costs no space until written). */
  static Path sparseDisk(Path file, long bytes) throws IOException {
    try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes);
    }
    return file;
  }

  List<String> argv(Path initrd) {
    List<String> a = new ArrayList<>(List.of(host.qemu().toString(),
        "-machine", "q35", "-accel", "tcg", "-m", "2048", "-smp", System.getProperty("brickyard.vm.smp", "2"),
        "-nographic", "-no-reboot", "-nic", "none",
        "-kernel", host.kernel().toString(), "-initrd", initrd.toString(),
        "-append", "console=ttyS0 earlyprintk=serial,ttyS0 loglevel=5 printk.time=1 panic=-1",
        "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"));
    if (outDir != null) {
      a.addAll(List.of("-virtfs", "local,path=" + outDir + ",mount_tag=brickyardout,security_model=none"));
    }
    for (Path d : disks) {
      a.addAll(List.of("-drive", "file=" + d + ",format=raw,if=virtio,cache=unsafe"));
    }
    return a;
  }

  /** Boots with {@code initramfs}, waits for power-off, returns the serial console output. */
  String run(byte[] initramfs) throws IOException, InterruptedException {
    Path initrd = Files.write(workDir.resolve("initramfs.cpio"), initramfs);
    Path console = workDir.resolve("console.log");
    Process qemu = Daemons.spawn(argv(initrd), console, Map.of());
    try {
      if (!qemu.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("VM did not power off within " + timeout.toSeconds() + "s; console tail:\n"
            + tail(Files.readString(console), 4000));
      }
    } finally {
      if (qemu.isAlive()) {
        qemu.descendants().forEach(ProcessHandle::destroyForcibly);
        qemu.destroyForcibly();
        qemu.waitFor(10, TimeUnit.SECONDS);
      }
    }
    return Files.readString(console).replace("\r", "");
  }

  static String tail(String s, int n) {
    return s.length() <= n ? s : s.substring(s.length() - n);
  }
}
