package io.brickyard.cli.lab;

import java.util.ArrayList;
import java.util.List;

/** The lab bridge in the root namespace and one veth + network namespace per host. */
final class LabNetwork {
  /** How long `lab down` waits for the kernel to destroy the deleted namespaces' veth pairs. */
  static final java.time.Duration VETH_GONE = java.time.Duration.ofSeconds(90);
  static final String VETH_PREFIX = "byl-";
  private final Sys sys;
  private final LabLayout layout;

  LabNetwork(Sys sys, LabLayout layout) {
    this.sys = sys;
    this.layout = layout;
  }

  void createBridge() {
    sys.must("ip", "link", "add", LabLayout.BRIDGE, "type", "bridge");
    sys.must("ip", "addr", "add", layout.bridgeCidr(), "dev", LabLayout.BRIDGE);
    sys.must("ip", "link", "set", LabLayout.BRIDGE, "up");
  }

  void createHost(LabHost h) {
    sys.must("ip", "netns", "add", h.netNs());
    sys.must("ip", "link", "add", h.veth(), "type", "veth", "peer", "name", "eth0", "netns", h.netNs());
    sys.must("ip", "link", "set", h.veth(), "master", LabLayout.BRIDGE, "up");
    sys.must("ip", "-n", h.netNs(), "addr", "add", h.ip() + "/24", "dev", "eth0");
    sys.must("ip", "-n", h.netNs(), "link", "set", "eth0", "up");
    sys.must("ip", "-n", h.netNs(), "link", "set", "lo", "up");
  }

  /** Every lab network namespace that exists now, ours by name prefix (for crash leftovers too). */
  List<String> existingNamespaces() {
    List<String> out = new ArrayList<>();
    for (String line : sys.run("ip", "netns", "list").stdout().split("\n")) {
      String name = line.split(" ")[0].strip();
      if (name.startsWith("bylab-")) {
        out.add(name);
      }
    }
    return out;
  }

  List<Long> pidsIn(String netns) {
    List<Long> pids = new ArrayList<>();
    for (String l : sys.run("ip", "netns", "pids", netns).stdout().split("\n")) {
      if (!l.isBlank()) {
        pids.add(Long.parseLong(l.strip()));
      }
    }
    return pids;
  }

  /**
   * Deletes every lab namespace and the bridge, and returns once the kernel has also removed the
   * hosts' veth ends: it destroys a deleted namespace (and the veth pair in it) later, in a work
   * queue, which on a busy machine (and after the --ha ensemble's many TCP connections) took tens
   * of seconds, so that a `lab up` right after `lab down` found "byl-gluster1" still there
   * ("RTNETLINK answers: File exists").
   */
  void deleteAll() {
    for (String ns : existingNamespaces()) {
      sys.run("ip", "netns", "del", ns);
    }
    if (sys.run("ip", "link", "show", LabLayout.BRIDGE).ok()) {
      sys.run("ip", "link", "del", LabLayout.BRIDGE);
    }
    long end = System.nanoTime() + VETH_GONE.toNanos();
    while (!vethEnds().isEmpty() && System.nanoTime() < end) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    vethEnds().forEach(l -> sys.run("ip", "link", "del", l));
  }

  /** The lab hosts' veth ends still in the root namespace ("byl-gluster1"). */
  private List<String> vethEnds() {
    List<String> out = new ArrayList<>();
    for (String line : sys.run("ip", "-o", "link", "show").stdout().split("\n")) {
      String[] f = line.split(":\\s+|@", 3);
      if (f.length > 1 && f[1].startsWith(VETH_PREFIX)) {
        out.add(f[1]);
      }
    }
    return out;
  }
}
