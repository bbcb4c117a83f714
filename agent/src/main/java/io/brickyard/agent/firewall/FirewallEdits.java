package io.brickyard.agent.firewall;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.Command;
import java.util.List;

/**
 * How rule changes are made, on the same path the request's reads took ({@link FirewallReads#edits()}):
 * over firewalld's D-Bus API with busctl where it is installed ({@link FirewallBusEdits}, a few ms
 * each), else with firewall-cmd ({@link FirewallCmdEdits}, a Python start-up each). Either way each
 * change is one argv command recorded by the {@link Operation}, so a plan or journal shows exactly
 * what ran, or would run.
 */
interface FirewallEdits {

  /** One rule added to or removed from one configuration of a zone, and the command that does it. */
  record Edit(String zone, RichRule rule, boolean permanent, boolean add, Command command) {}

  Edit edit(String zone, RichRule rule, boolean permanent, boolean add);

  /**
   * Runs the edits (only records them in a dry run); throws on the first real failure. Returns the
   * edits that changed firewalld: not those someone else made first, between our read and our
   * write (firewalld's ALREADY_ENABLED / NOT_ENABLED), for a rule added that way is not Brickyard's.
   * In a dry run, all of them.
   */
  List<Edit> run(Operation op, List<Edit> edits);
}
