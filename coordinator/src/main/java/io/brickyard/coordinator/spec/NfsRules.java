package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.SpecValidator.report;
import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.net.Cidr;
import io.brickyard.common.net.IpAddress;
import io.brickyard.common.nfs.NfsLimits;
import io.brickyard.common.storage.MountPoints;
import io.brickyard.coordinator.spec.ExportSpec.Access;
import io.brickyard.coordinator.spec.ExportSpec.Client;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * NFS service rules: which nodes serve, the NFSv4 tunables, the recovery store, exports and
 * virtual IPs. What only a node can tell (which interface holds a VIP's subnet) is the plan's to
 * check against the agents' facts; here only what the spec itself shows: a VIP's network must
 * contain one of the NFS nodes' addresses when those are IP literals.
 */
final class NfsRules {
  static final int MAX_GRACE = 180;
  static final int MAX_LEASE = 120;
  static final int MAX_MINOR = 2;
  /** A path component of a pseudo path: ganesha's and the kernel client's safe set. */
  private static final Pattern PSEUDO_COMPONENT = Pattern.compile("[A-Za-z0-9_.-]+");
  /** Short enough for "eth0:label" forms and the kernel's IFNAMSIZ (15). */
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,11}");

  private final ClusterSpec spec;
  private final NfsSpec nfs;
  private final List<Issue> out;

  NfsRules(ClusterSpec spec, NfsSpec nfs, List<Issue> out) {
    this.spec = spec;
    this.nfs = nfs;
    this.out = out;
  }

  void check() {
    nodes();
    tunables();
    recovery();
    exports();
    vips();
  }

  private void nodes() {
    if (nfs.nodes().isEmpty()) {
      out.add(Issue.error("nfs.nodes", "at least one NFS node is required (leave nodes out for every node)"));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < nfs.nodes().size(); i++) {
      String n = nfs.nodes().get(i);
      String p = at("nfs.nodes", i);
      Integer first = seen.putIfAbsent(n, i);
      if (first != null) {
        out.add(Issue.error(p, "node '" + n + "' is listed twice (also nfs.nodes[" + first + "])"));
      } else {
        report(out, p, unknownNode(n));
      }
    }
    if (nfs.nodes().size() > NfsLimits.MAX_NODES) {
      out.add(Issue.error("nfs.nodes", "at most " + NfsLimits.MAX_NODES + " NFS nodes, got " + nfs.nodes().size()
          + ": each ganesha's epoch ends in its node's two-digit place in this list (docs/ha.md)"));
    }
    if (nfs.nodes().size() == 1) {
      out.add(Issue.warning("nfs.nodes", "only one NFS node (" + nfs.nodes().get(0)
          + "): no failover is possible, its clients wait for it to come back"));
    }
  }

  /** Null when {@code name} is a spec node's name, else why not (with the nearest name). */
  private String unknownNode(String name) {
    if (spec.node(name).isPresent()) {
      return null;
    }
    Optional<NodeSpec> byAddress = spec.nodes().stream().filter(n -> n.glusterAddress().equals(name)).findFirst();
    if (byAddress.isPresent()) {
      return "'" + name + "' is a glusterAddress; NFS names nodes by their name: use '" + byAddress.get().name() + "'";
    }
    return SpecValidator.noSuchNode(spec, name);
  }

  private void tunables() {
    boolean inRange = range(nfs.gracePeriodSeconds(), 1, MAX_GRACE, "nfs.gracePeriod", "gracePeriod")
        & range(nfs.leaseLifetimeSeconds(), 1, MAX_LEASE, "nfs.leaseLifetime", "leaseLifetime");
    if (inRange && nfs.gracePeriodSeconds() < nfs.leaseLifetimeSeconds()) {
      out.add(Issue.warning("nfs.gracePeriod", "gracePeriod " + nfs.gracePeriodSeconds() + " is shorter than"
          + " leaseLifetime " + nfs.leaseLifetimeSeconds() + " (ganesha warns about this too): a client may not"
          + " notice a failover in time to reclaim its state before grace ends"));
    }
    if (nfs.minorVersions().isEmpty()) {
      out.add(Issue.error("nfs.minorVersions", "at least one NFSv4 minor version is required (0, 1 or 2)"));
    }
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < nfs.minorVersions().size(); i++) {
      int v = nfs.minorVersions().get(i);
      String p = at("nfs.minorVersions", i);
      Integer first = seen.putIfAbsent(v, i);
      if (v < 0 || v > MAX_MINOR) {
        out.add(Issue.error(p, "NFSv4 minor version must be 0, 1 or 2, got " + v));
      } else if (first != null) {
        out.add(Issue.error(p, "minor version " + v + " is listed twice (also nfs.minorVersions[" + first + "])"));
      }
    }
  }

  /** Whether {@code value} is in range; reports it when not. */
  private boolean range(int value, int min, int max, String path, String what) {
    if (value < min || value > max) {
      out.add(Issue.error(path, what + " must be between " + min + " and " + max + " seconds, got " + value));
      return false;
    }
    return true;
  }

  private void recovery() {
    NfsSpec.Recovery r = nfs.recovery();
    String p = "nfs.recovery";
    report(out, at(p, "volume"), Names.glusterVolume(r.volume()));
    if (spec.volume(r.volume()).isPresent()) {
      out.add(Issue.error(at(p, "volume"), "'" + r.volume() + "' is a volume of this spec; the recovery store"
          + " needs a volume of its own"));
    }
    String brick = r.brickDirectory().toString();
    String mount = r.mountPoint().toString();
    systemDirectory(brick, at(p, "brickDirectory"));
    systemDirectory(mount, at(p, "mountPoint"));
    if (overlap(mount, brick)) {
      out.add(Issue.error(at(p, "mountPoint"), mount + " and brickDirectory " + brick + " overlap: the"
          + " volume's mount would hide or contain its own brick"));
    }
    Set<String> mounts = new LinkedHashSet<>();
    Set<String> bricks = new LinkedHashSet<>();
    for (String node : nfs.nodes()) {
      spec.storageFor(node).forEach(e -> e.mounts().forEach(m -> mounts.add(m.mountPoint())));
      spec.volumes().forEach(v -> v.bricks().stream()
          .filter(b -> spec.nodeForBrickHost(b.host()).map(n -> n.name().equals(node)).orElse(false))
          .forEach(b -> bricks.add(b.path())));
    }
    mounts.stream().filter(m -> overlap(mount, m)).findFirst().ifPresent(m -> out.add(Issue.error(
        at(p, "mountPoint"), mount + " overlaps the storage mount point " + m + " of an NFS node")));
    bricks.stream().filter(b -> overlap(brick, b)).findFirst().ifPresent(b -> out.add(Issue.error(
        at(p, "brickDirectory"), brick + " overlaps the brick " + b + " of an NFS node; gluster refuses a brick"
            + " inside another brick")));
  }

  private void systemDirectory(String path, String field) {
    if (MountPoints.SYSTEM_DIRECTORIES.contains(path)) {
      out.add(Issue.error(field, path + " is a system directory: use a directory of its own, e.g. "
          + (path.equals("/") ? "" : path) + "/brickyard-nfs-state"));
    }
  }

  /** Equal, or one inside the other (both absolute and normalized). */
  private static boolean overlap(String a, String b) {
    return a.equals(b) || Names.below(a, b) || Names.below(b, a);
  }

  private void exports() {
    if (nfs.exports().isEmpty()) {
      out.add(Issue.warning("nfs.exports", "no exports: ganesha runs on the NFS nodes but serves nothing"));
    }
    Map<String, Integer> pseudos = new HashMap<>();
    for (int i = 0; i < nfs.exports().size(); i++) {
      ExportSpec e = nfs.exports().get(i);
      String p = at("nfs.exports", i);
      if (spec.volume(e.volume()).isEmpty()) {
        String best = YamlReader.closest(e.volume(), spec.volumes().stream().map(VolumeSpec::name).toList());
        out.add(Issue.error(at(p, "volume"), "no volume '" + e.volume() + "' in volumes"
            + (best == null ? "" : "; did you mean '" + best + "'?")));
      }
      String pseudoProblem = pseudo(e.pseudoPath());
      report(out, at(p, "pseudo"), pseudoProblem);
      Integer first = pseudos.putIfAbsent(e.pseudoPath(), i);
      if (pseudoProblem == null && first != null) {
        out.add(Issue.error(at(p, "pseudo"), "pseudo path " + e.pseudoPath() + " is also nfs.exports[" + first
            + "]'s (each export needs its own)"));
      }
      protocols(e, at(p, "protocols"));
      clients(e, at(p, "clients"));
    }
  }

  /** Null when {@code s} is a usable NFSv4 pseudo path, else why not. */
  static String pseudo(String s) {
    if (!s.startsWith("/")) {
      return "'" + s + "' is not an absolute path";
    }
    if (s.equals("/")) {
      return "'/' is the pseudo root itself: give each export a path below it, e.g. /vol1";
    }
    for (String c : s.substring(1).split("/", -1)) {
      if (c.isEmpty() || c.equals(".") || c.equals("..")) {
        return "'" + s + "' is not a normalized path (no '.', '..', '//' or trailing '/')";
      }
      if (!PSEUDO_COMPONENT.matcher(c).matches() || c.startsWith("-")) {
        return "'" + s + "' has the component '" + c + "': use letters, digits, '_', '.' and '-', not first '-'";
      }
    }
    return null;
  }

  private void protocols(ExportSpec e, String p) {
    if (e.protocols().isEmpty()) {
      out.add(Issue.error(p, "at least one protocol is required (4 and/or 3)"));
    }
    Map<Integer, Integer> seen = new HashMap<>();
    for (int i = 0; i < e.protocols().size(); i++) {
      int v = e.protocols().get(i);
      Integer first = seen.putIfAbsent(v, i);
      if (v != 3 && v != 4) {
        out.add(Issue.error(at(p, i), "NFS protocol must be 4 or 3, got " + v));
      } else if (first != null) {
        out.add(Issue.error(at(p, i), "protocol " + v + " is listed twice (also protocols[" + first + "])"));
      }
    }
    if (e.protocols().contains(3)) {
      out.add(Issue.warning(p, "NFSv3 pins mountd to port 20048, NLM to 32803 and rquota to 875, and makes every"
          + " grace period run its full length (NFSv3 clients cannot tell ganesha they are done reclaiming)"));
    }
  }

  private void clients(ExportSpec e, String p) {
    for (int i = 0; i < e.clients().size(); i++) {
      Client c = e.clients().get(i);
      String cp = at(p, i);
      if (c.cidrs().isEmpty()) {
        out.add(Issue.error(at(cp, "cidrs"), "at least one network or address is required"));
      }
      for (int j = 0; j < c.cidrs().size(); j++) {
        Cidr cidr = c.cidrs().get(j);
        String np = at(at(cp, "cidrs"), j);
        if (cidr.hostBitsSet()) {
          out.add(Issue.error(np, cidr + " has host bits set; the network is " + cidr.network()
              + " (or use a longer prefix for a smaller network)"));
        } else if (cidr.everyAddress()) {
          out.add(Issue.error(np, cidr + " " + cidr.everyAddressReason()));
        }
      }
      if (e.access() == Access.RO && c.access() == Access.RW) {
        out.add(Issue.error(at(cp, "access"), "rw in a read-only export: make the export's access rw and give"
            + " the read-only clients access: ro"));
      }
    }
  }

  private void vips() {
    if (nfs.vips().isEmpty()) {
      out.add(Issue.warning("nfs.vips", "no virtual IPs: clients would mount node addresses, with no failover"));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < nfs.vips().size(); i++) {
      VipSpec v = nfs.vips().get(i);
      String p = at("nfs.vips", i);
      address(v, at(p, "address"), i, seen);
      String nodeProblem = unknownNode(v.home());
      if (nodeProblem != null) {
        out.add(Issue.error(at(p, "home"), nodeProblem));
      } else if (!nfs.serves(v.home()) && !nfs.nodes().isEmpty()) { // empty: reported at nfs.nodes
        out.add(Issue.error(at(p, "home"), v.home() + " does not serve NFS (nfs.nodes: "
            + String.join(", ", nfs.nodes()) + ")"));
      }
      v.networkInterface().ifPresent(n -> {
        if (!INTERFACE.matcher(n).matches()) {
          out.add(Issue.error(at(p, "interface"), "'" + n + "' is not a network interface name: 1 to 12 letters,"
              + " digits, '_', '.' or '-', not starting with '-' or '.'"));
        }
      });
    }
    if (!nfs.vips().isEmpty()) {
      for (String node : nfs.nodes()) {
        if (spec.node(node).isPresent() && nfs.vips().stream().noneMatch(v -> v.home().equals(node))) {
          out.add(Issue.warning("nfs.vips", "NFS node " + node + " is the home of no VIP: no client mounts it"
              + " unless a VIP moves there"));
        }
      }
    }
  }

  private void address(VipSpec v, String p, int index, Map<String, Integer> seen) {
    Cidr a = v.address();
    byte[] ip = IpAddress.parse(a.address());
    if (ip.length != 4) {
      out.add(Issue.error(p, a.text() + " is not an IPv4 address: VIPs are IPv4, with their link's prefix,"
          + " e.g. 10.0.0.100/24"));
      return;
    }
    if (!a.text().contains("/")) {
      out.add(Issue.error(p, a.text() + " has no prefix: give the prefix of its link, e.g. " + a.text() + "/24"));
      return;
    }
    if (a.prefix() < 1) {
      out.add(Issue.error(p, "prefix /" + a.prefix() + " is out of range for a VIP (1-32)"));
      return;
    }
    Integer first = seen.putIfAbsent(IpAddress.format(ip), index);
    if (first != null) {
      out.add(Issue.error(p, v.ip() + " is also nfs.vips[" + first + "]"));
    }
    if (a.prefix() <= 30) {
      Cidr network = a.network();
      if (network.address().equals(IpAddress.format(ip))) {
        out.add(Issue.error(p, v.ip() + " is the network address of " + network));
      } else if (IpAddress.format(ip).equals(broadcast(ip, a.prefix()))) {
        out.add(Issue.error(p, v.ip() + " is the broadcast address of " + network));
      }
    }
    List<String> literals = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      for (String h : new LinkedHashSet<>(List.of(n.address().host(), n.glusterAddress()))) {
        byte[] hb = IpAddress.parse(h);
        if (hb != null && Arrays.equals(hb, ip)) {
          out.add(Issue.error(p, v.ip() + " is the address of node " + n.name() + "; a VIP needs an address"
              + " of its own"));
        }
        if (hb != null && hb.length == 4 && nfs.serves(n.name())) {
          literals.add(h);
        }
      }
    }
    if (!literals.isEmpty() && literals.stream().noneMatch(a::contains)) {
      out.add(Issue.error(p, a.network() + " contains no NFS node's address (" + String.join(", ", literals)
          + "): a VIP must be in a subnet an NFS node is on"));
    }
  }

  /** The broadcast address of {@code ip}'s /prefix network. */
  private static String broadcast(byte[] ip, int prefix) {
    byte[] b = ip.clone();
    for (int bit = prefix; bit < 32; bit++) {
      b[bit / 8] |= (byte) (0x80 >> (bit % 8));
    }
    return IpAddress.format(b);
  }
}
