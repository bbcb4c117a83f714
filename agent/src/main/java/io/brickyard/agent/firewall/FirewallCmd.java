package io.brickyard.agent.firewall;

import io.brickyard.common.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The firewall-cmd calls Brickyard uses where busctl is missing, as argv lists, and the parsing of
 * their plain-text answers (for {@link FirewallCmdReads} and {@link FirewallCmdEdits}; with busctl,
 * {@link FirewallBus} and {@link FirewallBusEdits} do the same over D-Bus). firewall-cmd talks to
 * the running firewalld over D-Bus, so every answer (runtime and --permanent alike) is the
 * daemon's live view.
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
