package io.brickyard.cli.lab;

import java.nio.file.Path;
import java.util.List;

/**
 * One lab host: a network namespace (veth on the lab bridge), a mount namespace with its own
 * /run, /var/lib/glusterd, /etc/hosts... and a UTS namespace carrying its hostname.
 */
record LabHost(String name, String ip, boolean storage, Path nsDir, Path dir, List<String> disks) {

  String netNs() {
    return "bylab-" + name;
  }

  Path netNsPath() {
    return Path.of("/run/netns", netNs());
  }

  /** Root-side veth name (max 15 chars). */
  String veth() {
    String v = LabNetwork.VETH_PREFIX + name;
    return v.length() > 15 ? v.substring(0, 15) : v;
  }

  Path mountNs() {
    return nsDir.resolve(name + ".mnt");
  }

  Path utsNs() {
    return nsDir.resolve(name + ".uts");
  }

  /** Per-host directory standing in for an absolute path inside the host. */
  Path fs(String absolute) {
    return dir.resolve("fs").resolve(absolute.substring(1).replace('/', '_'));
  }

  /** A file or directory in the host's private copy of /etc. */
  Path etc(String relative) {
    return fs("/etc").resolve(relative);
  }

  Path diskImage(String disk) {
    return dir.resolve("disks").resolve(disk + ".img");
  }
}
