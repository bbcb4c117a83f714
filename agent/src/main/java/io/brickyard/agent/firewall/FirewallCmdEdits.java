package io.brickyard.agent.firewall;

import io.brickyard.agent.op.Operation;
import java.util.List;

/**
 * Rule changes with firewall-cmd, for nodes without busctl. Each is an independent Python start-up
 * (~0.5 s), so they run side by side. No race handling is needed: firewall-cmd itself answers
 * "Warning: ALREADY_ENABLED" / "NOT_ENABLED" with exit 0 when someone else got there first.
 */
final class FirewallCmdEdits implements FirewallEdits {
  static final FirewallCmdEdits INSTANCE = new FirewallCmdEdits();

  private FirewallCmdEdits() {}

  @Override
  public Edit edit(String zone, RichRule rule, boolean permanent, boolean add) {
    return new Edit(rule, permanent, add, add ? FirewallCmd.addRule(zone, rule, permanent)
        : FirewallCmd.removeRule(zone, rule, permanent));
  }

  @Override
  public void run(Operation op, List<Edit> edits) {
    op.changeAll(edits.stream().map(Edit::command).toList());
  }
}
