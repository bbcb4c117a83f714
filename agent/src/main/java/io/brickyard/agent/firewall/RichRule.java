package io.brickyard.agent.firewall;

import io.brickyard.common.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One "accept from this source" rich rule, rendered in exactly the form firewalld prints it in
 * {@code --list-rich-rules} (quoted attribute values), so that what we add, what we query and what
 * an admin sees listed are the same string. Either a firewalld service or a port/protocol.
 */
public record RichRule(Cidr source, String service, String port, String protocol) {
  /** firewalld service names are file names under /usr/lib/firewalld/services. */
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");
  private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?/([a-z]+)");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp", "dccp");

  public static RichRule forService(Cidr source, String service) {
    return new RichRule(source, service, null, null);
  }

  public static RichRule forPort(Cidr source, String portSpec) {
    String[] pp = portSpec.split("/", 2);
    return new RichRule(source, null, pp[0], pp[1]);
  }

  /** {@code rule family="ipv4" source address="10.130.0.0/16" service name="glusterfs" accept}. */
  @Override
  public String toString() {
    String what = service != null ? "service name=\"" + service + "\""
        : "port port=\"" + port + "\" protocol=\"" + protocol + "\"";
    return "rule family=\"" + source.family() + "\" source address=\"" + source.text() + "\" " + what + " accept";
  }

  /** What this rule opens, for summaries: "glusterfs" or "49152-60999/tcp". */
  public String target() {
    return service != null ? service : port + "/" + protocol;
  }

  /** Validates a firewalld service name; {@code field} names the request field. */
  public static String checkService(String field, String name) {
    if (name == null || !SERVICE.matcher(name).matches()) {
      throw new IllegalArgumentException(field + ": '" + name + "' is not a valid firewalld service name");
    }
    return name;
  }

  /** Validates "2049/tcp" or "49152-60999/tcp"; {@code field} names the request field. */
  public static String checkPort(String field, String spec) {
    Matcher m = spec == null ? null : PORT.matcher(spec.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(field + ": '" + spec + "' must look like 2049/tcp or 49152-60999/tcp");
    }
    int lo = Integer.parseInt(m.group(1));
    int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
    if (lo < 1 || hi > 65535 || hi < lo) {
      throw new IllegalArgumentException(field + ": '" + spec + "' port range must be within 1-65535, low <= high");
    }
    if (!PROTOCOLS.contains(m.group(3))) {
      throw new IllegalArgumentException(field + ": '" + spec + "' protocol must be one of " + PROTOCOLS);
    }
    return spec.trim();
  }

  /**
   * Every rule a request asks for: each source crossed with each service and each port, in request
   * order. Validates all fields first so that nothing is applied from a half-valid request.
   */
  public static List<RichRule> expand(List<String> cidrs, List<String> services, List<String> ports) {
    return expand("", cidrs, services, ports);
  }

  /**
   * {@link #expand(List, List, List)} for one group of a request, its fields named with
   * {@code prefix} ("groups[1].") in refusals.
   */
  public static List<RichRule> expand(String prefix, List<String> cidrs, List<String> services, List<String> ports) {
    if (cidrs.isEmpty()) {
      throw new IllegalArgumentException(prefix + "source_cidrs: at least one source CIDR is required"
          + " (brickyard never opens a service to everyone)");
    }
    if (services.isEmpty() && ports.isEmpty()) {
      throw new IllegalArgumentException(prefix + "services/ports: nothing to allow");
    }
    List<Cidr> sources = new ArrayList<>();
    for (String c : cidrs) {
      sources.add(Cidr.parseSource(prefix + "source_cidrs", c));
    }
    services.forEach(s -> checkService(prefix + "services", s));
    ports.forEach(p -> checkPort(prefix + "ports", p));
    List<RichRule> out = new ArrayList<>();
    for (Cidr src : sources) {
      for (String s : services) {
        out.add(forService(src, s));
      }
      for (String p : ports) {
        out.add(forPort(src, p.trim()));
      }
    }
    return out;
  }
}
