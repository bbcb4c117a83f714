package io.brickyard.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives a lab host its own view of the filesystem: a persistent mount namespace (a bind-mounted
 * nsfs file, so no holder process is needed) in which per-host directories are bind-mounted over
 * the paths the products keep state in, and a private /dev holding only its own disks.
 */
final class LabHostFs {
  /**
   * Directories each host gets privately (empty at first). /etc is a private COPY of this machine's
   * /etc, so that files in it are ordinary files: the agent's atomic fstab edit (write a temp file,
   * rename over /etc/fstab) fails with EBUSY on a bind-mounted single file.
   */
  static final List<String> PRIVATE_DIRS = List.of("/run", "/var/log", "/var/lib/glusterd", "/var/lib/brickyard",
      "/var/lib/nfs", "/gluster", "/mnt");
  /** Character devices in the private /dev: name, major, minor. */
  static final String[][] CHAR_DEVICES = {{"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
      {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}, {"fuse", "10", "229"},
      {"loop-control", "10", "237"}};

  private final Sys sys;

  LabHostFs(Sys sys) {
    this.sys = sys;
  }

  /** The directory holding the nsfs files must be a private mount for bind-mounted namespaces to work. */
  void prepareNsDir(Path nsDir) throws IOException {
    Files.createDirectories(nsDir);
    if (!sys.run("findmnt", "--mountpoint", nsDir.toString()).ok()) {
      sys.must("mount", "--bind", nsDir.toString(), nsDir.toString());
      sys.must("mount", "--make-private", nsDir.toString());
    }
  }

  void create(LabHost h, String hostsFile) throws IOException {
    Files.createDirectories(h.dir());
    Files.createFile(h.mountNs());
    Files.createFile(h.utsNs());
    sys.must("unshare", "--mount=" + h.mountNs(), "--uts=" + h.utsNs(), "--propagation", "private", "true");
    sys.must("nsenter", "--uts=" + h.utsNs(), "hostname", h.name());
    for (String d : PRIVATE_DIRS) {
      Path src = h.fs(d);
      Files.createDirectories(src);
      if (!Files.exists(Path.of(d))) {
        Files.createDirectories(Path.of(d)); // e.g. /gluster: an empty mount point on this machine
      }
      sys.must("nsenter", "--mount=" + h.mountNs(), "mount", "--bind", src.toString(), d);
    }
    Path etc = Files.createDirectories(h.fs("/etc"));
    sys.must("cp", "-a", "/etc/.", etc.toString() + "/");
    writeFile(etc.resolve("hosts"), hostsFile);
    writeFile(etc.resolve("fstab"), "# /etc/fstab of lab host " + h.name() + "\n");
    writeFile(etc.resolve("hostname"), h.name() + "\n");
    Files.deleteIfExists(etc.resolve("fstab.brickyard.bak"));
    Files.createDirectories(etc.resolve("brickyard"));
    sys.must("nsenter", "--mount=" + h.mountNs(), "mount", "--bind", etc.toString(), "/etc");
    privateDev(h);
  }

  /** tmpfs over /dev with the usual character devices, /dev/shm, and nothing else yet. */
  private void privateDev(LabHost h) {
    String ns = "--mount=" + h.mountNs();
    sys.must("nsenter", ns, "mount", "-t", "tmpfs", "-o", "mode=0755,size=16m", "tmpfs", "/dev");
    for (String[] d : CHAR_DEVICES) {
      sys.must("nsenter", ns, "mknod", "-m", "0666", "/dev/" + d[0], "c", d[1], d[2]);
    }
    sys.must("nsenter", ns, "mkdir", "-p", "/dev/shm", "/dev/pts", "/dev/disk/by-id");
    sys.must("nsenter", ns, "mount", "-t", "tmpfs", "-o", "mode=1777", "tmpfs", "/dev/shm");
    sys.must("nsenter", ns, "ln", "-s", "/proc/self/fd", "/dev/fd");
    sys.must("nsenter", ns, "ln", "-s", "/proc/self/fd/0", "/dev/stdin");
    sys.must("nsenter", ns, "ln", "-s", "/proc/self/fd/1", "/dev/stdout");
    sys.must("nsenter", ns, "ln", "-s", "/proc/self/fd/2", "/dev/stderr");
  }

  /**
   * A sparse file on a loop device, visible in the host only, under {@code /dev/NAME}.
   * Returns the loop device (e.g. /dev/loop3).
   */
  String attachDisk(LabHost h, String disk, long sizeBytes) throws IOException {
    Path img = h.diskImage(disk);
    Files.createDirectories(img.getParent());
    try (var raf = new java.io.RandomAccessFile(img.toFile(), "rw")) {
      raf.setLength(sizeBytes);
    }
    String loop = sys.must("losetup", "--find", "--show", img.toString()).stdout().strip();
    String majMin = Files.readString(Path.of("/sys/block", loop.substring("/dev/".length()), "dev")).strip();
    String[] mm = majMin.split(":");
    sys.must("nsenter", "--mount=" + h.mountNs(), "mknod", "-m", "0660", "/dev/" + disk, "b", mm[0], mm[1]);
    return loop;
  }

  /** Unmounts the namespace files; the namespaces die with their last process. */
  void release(Path nsDir) throws IOException {
    if (!Files.isDirectory(nsDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(nsDir)) {
      for (Path p : s.toList()) {
        sys.run("umount", p.toString());
        Files.deleteIfExists(p);
      }
    }
    if (sys.run("findmnt", "--mountpoint", nsDir.toString()).ok()) {
      sys.run("umount", nsDir.toString());
    }
  }

  static void writeFile(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

}
