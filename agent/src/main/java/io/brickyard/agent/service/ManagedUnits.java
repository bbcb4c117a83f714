package io.brickyard.agent.service;

import io.brickyard.agent.op.RefusedException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which units an agent RPC may touch, and how. The rule: only the units Brickyard itself needs
 * (an agent RPC is never a way to run or stop arbitrary programs, so sshd, systemd-*, the agent's
 * own brickyard-agent and everything else are refused by name), and of those, the ones this
 * node's management stands on (firewalld, dbus) may be started and enabled but never stopped or
 * disabled, whatever a spec or a caller asks: with firewalld stopped every port of the node is
 * open, and without dbus neither firewalld nor systemd can be read or driven, so the agent could
 * not even undo the mistake.
 */
final class ManagedUnits {
  /** Brickyard's storage and NFS services: any state a caller asks for. */
  private static final Set<String> SERVICES = Set.of("glusterd", "nfs-ganesha", "rpcbind");
  /** The node's management foundations, with why they must stay up. */
  private static final Map<String, String> FOUNDATIONS = Map.of(
      "firewalld", "firewalld guards every port of this node (stopped, glusterd, NFS and the agent are open to"
          + " anyone)",
      "dbus", "dbus carries firewalld's and systemd's interfaces (without it the agent can neither read nor change"
          + " the firewall or any service)");

  private ManagedUnits() {}

  /** The unit, if Brickyard manages it; INVALID_ARGUMENT otherwise. */
  static String name(String unit) {
    if (!SERVICES.contains(unit) && !FOUNDATIONS.containsKey(unit)) {
      Set<String> all = new TreeSet<>(SERVICES);
      all.addAll(FOUNDATIONS.keySet());
      throw new IllegalArgumentException("unit '" + unit + "' is not managed by brickyard; allowed: "
          + String.join(", ", all));
    }
    return unit;
  }

  /**
   * Refuses (FAILED_PRECONDITION) to stop or disable a foundation unit, or to restart dbus (every
   * daemon's bus connection, systemd's included, would break); checked before anything runs.
   */
  static void checkWanted(String unit, boolean running, boolean enabled, boolean restart) {
    String why = FOUNDATIONS.get(name(unit));
    if (why == null) {
      return;
    }
    if (!running || !enabled) {
      throw new RefusedException("refusing to " + (!running ? "stop" : "disable") + " " + unit + ": " + why
          + "; brickyard only starts and enables it");
    }
    if (restart && unit.equals("dbus")) {
      throw new RefusedException("refusing to restart dbus: every daemon's bus connection, systemd's included,"
          + " would break; brickyard only starts and enables it");
    }
  }
}
