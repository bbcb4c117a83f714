package io.brickyard.cli.lab;

import java.util.ArrayList;
import java.util.List;

/** The lab bridge in the root namespace and one veth + network namespace per host. */
final class LabNetwork {
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

  void deleteAll() {
    for (String ns : existingNamespaces()) {
      sys.run("ip", "netns", "del", ns);
    }
    if (sys.run("ip", "link", "show", LabLayout.BRIDGE).ok()) {
      sys.run("ip", "link", "del", LabLayout.BRIDGE);
    }
  }
}
