package io.brickyard.agent.firewall;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The firewall-cmd calls Brickyard uses, as argv lists, and the parsing of their plain-text
 * answers. firewall-cmd talks to the running firewalld over D-Bus, so every answer (runtime and
 * --permanent alike) is the daemon's live view: nothing is cached here.
 */
final class FirewallCmd {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_+-]{0,16}");

  private FirewallCmd() {}

  static Command cmd(String... argv) {
    List<String> a = new ArrayList<>();
    a.add("firewall-cmd");
    a.addAll(Arrays.asList(argv));
    return Command.of(a).withTimeout(TIMEOUT);
  }

  /** firewalld zone names are short file names (firewalld caps them at 17 characters). */
  static String checkZone(String zone) {
    if (!ZONE.matcher(zone).matches()) {
      throw new IllegalArgumentException("zone: '" + zone + "' is not a valid firewalld zone name");
    }
    return zone;
  }

  /** {@code firewall-cmd --state}: "running", exit 0. Not running (252) or no D-Bus (36) = false. */
  static boolean running(Operation op) {
    CommandResult r = op.read(cmd("--state"));
    return r.ok() && r.stdout().strip().equals("running");
  }

  static void requireRunning(Operation op) {
    if (!running(op)) {
      throw new RefusedException("firewalld is not running on this node (ensure the firewalld service first)");
    }
  }

  /** The zone asked for, or firewalld's default zone; refuses a zone firewalld does not know. */
  static String resolveZone(Operation op, String requested) {
    if (requested == null || requested.isEmpty()) {
      return op.readChecked(cmd("--get-default-zone")).stdout().strip();
    }
    checkZone(requested);
    Set<String> zones = words(op.readChecked(cmd("--permanent", "--get-zones")).stdout());
    if (!zones.contains(requested)) {
      throw new RefusedException("firewalld zone '" + requested + "' does not exist on this node; zones: " + zones);
    }
    return requested;
  }

  /**
   * Every service must be defined both in the permanent configuration and in the running daemon.
   * A service file installed after firewalld started (glusterfs-server ships
   * /usr/lib/firewalld/services/glusterfs.xml) is unknown at runtime until a reload; we refuse
   * rather than reload, because a reload drops runtime-only rules someone else may rely on.
   */
  static void requireServices(Operation op, List<String> services) {
    if (services.isEmpty()) {
      return;
    }
    Set<String> permanent = words(op.readChecked(cmd("--permanent", "--get-services")).stdout());
    Set<String> runtime = words(op.readChecked(cmd("--get-services")).stdout());
    for (String s : new LinkedHashSet<>(services)) {
      if (!permanent.contains(s)) {
        throw new RefusedException("firewalld service '" + s + "' is not defined on this node"
            + ("glusterfs".equals(s) ? " (glusterfs-server ships /usr/lib/firewalld/services/glusterfs.xml: is it installed?)" : ""));
      }
      if (!runtime.contains(s)) {
        throw new RefusedException("firewalld service '" + s + "' is defined but the running firewalld does not know it"
            + " yet (installed after firewalld started); run 'firewall-cmd --reload' or restart firewalld");
      }
    }
  }

  /** {@code --query-rich-rule}: exit 0 "yes", exit 1 "no"; anything else is an error. */
  static boolean hasRule(Operation op, String zone, RichRule rule, boolean permanent) {
    CommandResult r = op.read(permanent
        ? cmd("--permanent", "--zone=" + zone, "--query-rich-rule=" + rule)
        : cmd("--zone=" + zone, "--query-rich-rule=" + rule));
    if (r.exitCode() == 0 && !r.timedOut()) {
      return true;
    }
    if (r.exitCode() == 1 && !r.timedOut()) {
      return false;
    }
    throw new CommandFailedException(r);
  }

  static Command addRule(String zone, RichRule rule, boolean permanent) {
    return permanent ? cmd("--permanent", "--zone=" + zone, "--add-rich-rule=" + rule)
        : cmd("--zone=" + zone, "--add-rich-rule=" + rule);
  }

  static Command removeRule(String zone, RichRule rule, boolean permanent) {
    return permanent ? cmd("--permanent", "--zone=" + zone, "--remove-rich-rule=" + rule)
        : cmd("--zone=" + zone, "--remove-rich-rule=" + rule);
  }

  /** {@code --list-rich-rules}: one rule per line. */
  static List<String> lines(String out) {
    List<String> rules = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (!l.isBlank()) {
        rules.add(l.strip());
      }
    }
    return rules;
  }

  /** {@code --list-services} / {@code --list-ports} / {@code --get-services}: space-separated. */
  static Set<String> words(String out) {
    Set<String> w = new LinkedHashSet<>();
    for (String s : out.strip().split("\\s+")) {
      if (!s.isEmpty()) {
        w.add(s);
      }
    }
    return w;
  }
}
