package io.brickyard.cli.lab;

import io.brickyard.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks that this machine can host the lab: root, the programs the product manages and the
 * kernel features. Says exactly what is missing and the one command that installs it.
 */
final class Preflight {
  /** program -> {Debian package, RHEL package}. */
  static final Map<String, String[]> PROGRAMS = new LinkedHashMap<>();

  static {
    PROGRAMS.put("glusterd", new String[] {"glusterfs-server", "glusterfs-server"});
    PROGRAMS.put("gluster", new String[] {"glusterfs-server", "glusterfs-cli"});
    PROGRAMS.put("glusterfs", new String[] {"glusterfs-client", "glusterfs-fuse"});
    PROGRAMS.put("ganesha.nfsd", new String[] {"nfs-ganesha", "nfs-ganesha"});
    PROGRAMS.put("firewalld", new String[] {"firewalld", "firewalld"});
    PROGRAMS.put("firewall-cmd", new String[] {"firewalld", "firewalld"});
    PROGRAMS.put("dbus-daemon", new String[] {"dbus", "dbus-daemon"});
    PROGRAMS.put("rpcbind", new String[] {"rpcbind", "rpcbind"});
    PROGRAMS.put("rpcinfo", new String[] {"rpcbind", "rpcbind"});
    PROGRAMS.put("lvm", new String[] {"lvm2", "lvm2"});
    PROGRAMS.put("mkfs.xfs", new String[] {"xfsprogs", "xfsprogs"});
    PROGRAMS.put("nfs-cat", new String[] {"libnfs-utils", "libnfs-utils"});
    PROGRAMS.put("ip", new String[] {"iproute2", "iproute"});
    for (String p : List.of("nsenter", "unshare", "losetup", "wipefs", "lsblk", "findmnt", "blkid", "mount", "umount")) {
      PROGRAMS.put(p, new String[] {p.equals("mount") || p.equals("umount") ? "mount" : "util-linux", "util-linux"});
    }
  }

  static final List<String> FILES = List.of(
      "/usr/lib/x86_64-linux-gnu/ganesha/libfsalgluster.so", "/usr/lib64/ganesha/libfsalgluster.so");

  private Preflight() {}

  static void check() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new LabException(ExitCodes.BAD_INPUT, "the lab needs root (network and mount namespaces, loop devices): run it with sudo");
    }
    boolean rhel = Files.exists(Path.of("/etc/redhat-release"));
    TreeSet<String> missingPkgs = new TreeSet<>();
    TreeSet<String> missingProgs = new TreeSet<>();
    PROGRAMS.forEach((prog, pkgs) -> {
      if (which(prog) == null) {
        missingProgs.add(prog);
        missingPkgs.add(pkgs[rhel ? 1 : 0]);
      }
    });
    if (FILES.stream().noneMatch(f -> Files.exists(Path.of(f)))) {
      missingProgs.add("libfsalgluster.so");
      missingPkgs.add("nfs-ganesha-gluster");
    }
    if (!missingPkgs.isEmpty()) {
      throw new LabException(ExitCodes.BAD_INPUT, "missing " + String.join(", ", missingProgs) + "; install with: "
          + (rhel ? "dnf install -y " : "apt-get install -y ") + String.join(" ", missingPkgs));
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      throw new LabException(ExitCodes.BAD_INPUT, "no /dev/loop-control: the kernel needs loop device support (modprobe loop)");
    }
    try {
      String fs = Files.readString(Path.of("/proc/filesystems"));
      for (String need : List.of("xfs", "fuse")) {
        if (!fs.contains("\t" + need + "\n") && !fs.contains(" " + need + "\n")) {
          throw new LabException(ExitCodes.BAD_INPUT, "the kernel has no " + need + " filesystem (modprobe " + need + ")");
        }
      }
    } catch (java.io.IOException e) {
      throw new LabException("cannot read /proc/filesystems: " + e.getMessage());
    }
  }

  static Path which(String prog) {
    for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
      Path p = Path.of(d, prog);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
