package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.net.Cidr;
import io.brickyard.common.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Semantic rules of a structurally sound spec, checked before anything runs on a node: names,
 * uniqueness, the firewall, storage ({@link StorageRules}), volumes ({@link VolumeRules}) and the NFS
 * service ({@link NfsRules}).
 * Every rule runs; nothing stops at the first problem.
 */
public final class SpecValidator {
  private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]*");

  private SpecValidator() {}

  /** All issues, errors and warnings, in document order. */
  public static List<Issue> validate(ClusterSpec spec) {
    List<Issue> out = new ArrayList<>();
    report(out, "metadata.name", Names.dnsLabel(spec.name()));
    nodes(spec, out);
    spec.firewall().ifPresent(f -> firewall(spec, f, out));
    new StorageRules(spec, out).check();
    new VolumeRules(spec, out).check();
    spec.nfs().ifPresent(nfs -> new NfsRules(spec, nfs, out).check());
    spec.coordination().ifPresent(c -> new CoordinationRules(c, out).check());
    return out;
  }

  static void report(List<Issue> out, String path, String problem) {
    if (problem != null) {
      out.add(Issue.error(path, problem));
    }
  }

  /** "no node 'glustr1' in nodes; did you mean 'gluster1'?" */
  static String noSuchNode(ClusterSpec spec, String name) {
    List<String> known = new ArrayList<>();
    spec.nodes().forEach(n -> {
      known.add(n.name());
      known.add(n.glusterAddress());
    });
    String best = YamlReader.closest(name, known);
    return "no node '" + name + "' in nodes" + (best == null ? "" : "; did you mean '" + best + "'?");
  }

  private static void nodes(ClusterSpec spec, List<Issue> out) {
    if (spec.nodes().isEmpty()) {
      out.add(Issue.error("nodes", "at least one node is required"));
    }
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> agents = new HashMap<>();
    Map<String, Integer> hosts = new HashMap<>(); // names and gluster addresses share one namespace
    for (int i = 0; i < spec.nodes().size(); i++) {
      NodeSpec n = spec.nodes().get(i);
      String p = at("nodes", i);
      report(out, at(p, "name"), Names.dnsLabel(n.name()));
      Integer first = names.putIfAbsent(n.name(), i);
      Integer firstName = first;
      if (first != null) {
        out.add(Issue.error(at(p, "name"), "duplicate node name '" + n.name() + "' (also nodes[" + first + "])"));
      }
      if (!n.address().host().equals(n.name())) { // else the name's own check covers it
        report(out, at(p, "address"), Names.host(n.address().host()));
      }
      first = agents.putIfAbsent(n.address().toString(), i);
      if (first != null) {
        out.add(Issue.error(at(p, "address"), "agent address " + n.address() + " is also nodes[" + first + "]'s"));
      }
      if (!n.glusterAddress().equals(n.name())) {
        report(out, at(p, "glusterAddress"), Names.host(n.glusterAddress()));
      }
      boolean duplicateName = firstName != null;
      for (String h : new LinkedHashSet<>(List.of(n.name(), n.glusterAddress()))) {
        Integer other = hosts.putIfAbsent(h, i);
        if (other == null || (duplicateName && h.equals(n.name()))) {
          continue; // new, or a duplicate name already reported above
        }
        String field = h.equals(n.glusterAddress()) ? "glusterAddress" : "name";
        out.add(Issue.error(at(p, field), "'" + h + "' already names nodes[" + other
            + "] (bricks refer to a node by its name or glusterAddress, so each must be unique)"));
      }
    }
  }

  private static void firewall(ClusterSpec spec, FirewallSpec f, List<Issue> out) {
    f.zone().ifPresent(z -> {
      if (!ZONE.matcher(z).matches()) {
        out.add(Issue.error("firewall.zone", "'" + z + "' is not a firewalld zone name"));
      }
    });
    if (f.trustedSources().isEmpty()) {
      out.add(Issue.error("firewall.trustedSources", "at least one trusted source is required"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < f.trustedSources().size(); i++) {
      Cidr c = f.trustedSources().get(i);
      String p = at("firewall.trustedSources", i);
      if (c.hostBitsSet()) {
        // Ambiguous: a typo in the address or in the prefix. We refuse rather than guess.
        out.add(Issue.error(p, c + " has host bits set; the network is " + c.network()
            + " (or use a longer prefix for a smaller network)"));
      } else if (c.everyAddress()) {
        // the agent refuses it too (Cidr.parseSource): a rule from every address opens the service to everyone
        out.add(Issue.error(p, c + " " + c.everyAddressReason()));
      }
      if (!seen.add(c.network().toString())) {
        out.add(Issue.warning(p, "duplicate trusted source " + c));
      }
    }
    if (f.services().isEmpty()) {
      out.add(Issue.error("firewall.services", "at least one firewalld service is required"));
    }
    Set<String> services = new HashSet<>();
    for (int i = 0; i < f.services().size(); i++) {
      String s = f.services().get(i);
      if (!SERVICE.matcher(s).matches()) {
        out.add(Issue.error(at("firewall.services", i), "'" + s + "' is not a firewalld service name"));
      } else if (!services.add(s)) {
        out.add(Issue.warning(at("firewall.services", i), "duplicate service '" + s + "'"));
      }
    }
    if (!f.services().isEmpty() && !services.contains("glusterfs")) {
      out.add(Issue.warning("firewall.services", "glusterfs is not listed: peers and clients will not reach"
          + " glusterd (24007-24008/tcp) or the bricks (49152-60999/tcp) unless opened another way"));
    }
    for (int i = 0; i < spec.nodes().size(); i++) {
      String g = spec.nodes().get(i).glusterAddress();
      if (IpAddress.isLiteral(g) && f.trustedSources().stream().noneMatch(c -> c.contains(g))) {
        out.add(Issue.warning(at(at("nodes", i), "glusterAddress"), g
            + " is not inside any firewall.trustedSources: peers will not reach each other"));
      }
    }
  }
}
