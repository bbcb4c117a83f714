package io.brickyard.agent.firewall;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.CommandResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule changes with firewall-cmd, for nodes without busctl. Each is an independent Python start-up
 * (~0.5 s), so they run side by side. firewall-cmd itself answers "Warning: ALREADY_ENABLED" /
 * "NOT_ENABLED" with exit 0 when someone else got there first: not a failure, but not an edit of
 * ours either ({@link #raced}).
 */
final class FirewallCmdEdits implements FirewallEdits {
  static final FirewallCmdEdits INSTANCE = new FirewallCmdEdits();

  private FirewallCmdEdits() {}

  @Override
  public Edit edit(String zone, RichRule rule, boolean permanent, boolean add) {
    return new Edit(zone, rule, permanent, add, add ? FirewallCmd.addRule(zone, rule, permanent)
        : FirewallCmd.removeRule(zone, rule, permanent));
  }

  @Override
  public List<Edit> run(Operation op, List<Edit> edits) {
    List<CommandResult> results = op.changeAll(edits.stream().map(Edit::command).toList());
    List<Edit> made = new ArrayList<>();
    for (int i = 0; i < edits.size(); i++) {
      if (!raced(edits.get(i), results.get(i))) {
        made.add(edits.get(i));
      }
    }
    return made;
  }

  /**
   * firewall-cmd's answer when someone else made the change first: exit 0 and, on stderr,
   * "Warning: ALREADY_ENABLED: ..." (adding) or "Warning: NOT_ENABLED: ..." (removing), as
   * firewall/command.py prints it; possibly inside terminal colour codes, never here (no tty).
   */
  static boolean raced(Edit e, CommandResult r) {
    return r.stderr().contains("Warning: " + (e.add() ? "ALREADY_ENABLED" : "NOT_ENABLED") + ":");
  }
}
