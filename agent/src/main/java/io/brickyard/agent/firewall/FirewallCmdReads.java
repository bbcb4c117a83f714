package io.brickyard.agent.firewall;

import static io.brickyard.agent.firewall.FirewallCmd.cmd;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The firewall-cmd read path, kept for nodes without systemd's busctl (its changes:
 * {@link FirewallCmdEdits}). Each read is one firewall-cmd run (a Python start-up); rule presence
 * is asked per rule with --query-rich-rule, which applies firewalld's own normalization to the
 * rule text.
 */
final class FirewallCmdReads implements FirewallReads {
  private final Operation op;

  FirewallCmdReads(Operation op) {
    this.op = op;
  }

  /** {@code firewall-cmd --state}: "running", exit 0. Not running (252) or no D-Bus (36) = false. */
  @Override
  public boolean running() {
    CommandResult r = op.read(cmd("--state"));
    return r.ok() && r.stdout().strip().equals("running");
  }

  @Override
  public String defaultZone() {
    return op.readChecked(cmd("--get-default-zone")).stdout().strip();
  }

  @Override
  public Set<String> zones(boolean permanent) {
    return FirewallCmd.words(op.readChecked(permanent ? cmd("--permanent", "--get-zones") : cmd("--get-zones"))
        .stdout());
  }

  @Override
  public Set<String> services(boolean permanent) {
    return FirewallCmd.words(op.readChecked(permanent ? cmd("--permanent", "--get-services")
        : cmd("--get-services")).stdout());
  }

  /** {@code --query-rich-rule}: exit 0 "yes", exit 1 "no"; anything else is an error. */
  @Override
  public Predicate<RichRule> richRules(String zone, boolean permanent) {
    return rule -> {
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
    };
  }

  @Override
  public List<String> listRichRules(String zone, boolean permanent) {
    String z = "--zone=" + zone;
    return FirewallCmd.lines(op.readChecked(permanent ? cmd("--permanent", z, "--list-rich-rules")
        : cmd(z, "--list-rich-rules")).stdout());
  }

  @Override
  public FirewallEdits edits() {
    return FirewallCmdEdits.INSTANCE;
  }

  @Override
  public List<String> zoneServices(String zone) {
    return List.copyOf(FirewallCmd.words(op.readChecked(cmd("--zone=" + zone, "--list-services")).stdout()));
  }

  @Override
  public List<String> zonePorts(String zone) {
    return List.copyOf(FirewallCmd.words(op.readChecked(cmd("--zone=" + zone, "--list-ports")).stdout()));
  }
}
