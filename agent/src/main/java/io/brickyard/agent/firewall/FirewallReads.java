package io.brickyard.agent.firewall;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The read side of the firewall capability: what firewalld has, runtime and permanent. Reads go
 * through firewalld's own D-Bus API via busctl ({@link FirewallBus}) because every firewall-cmd
 * run is a Python start-up (~0.4 s CPU) and a no-op EnsureAllowed needs half a dozen reads. Where
 * busctl is not installed the firewall-cmd reads ({@link FirewallCmdReads}) are used. Both ask the
 * running daemon each time: nothing is cached. The changes go the same way as the reads
 * ({@link #edits()}).
 */
interface FirewallReads {

  /** firewalld's D-Bus "state" property is RUNNING (what {@code firewall-cmd --state} checks). */
  boolean running();

  String defaultZone();

  /** Zone names, in the permanent configuration or in the running daemon. */
  Set<String> zones(boolean permanent);

  /** Service names firewalld knows, in the permanent configuration or in the running daemon. */
  Set<String> services(boolean permanent);

  /** Whether a rule is in {@code zone}: same test as firewalld's own queryRichRule. */
  Predicate<RichRule> richRules(String zone, boolean permanent);

  /** The zone's rich rules as firewalld prints them. */
  List<String> listRichRules(String zone, boolean permanent);

  /** Runtime services enabled for everyone in the zone. */
  List<String> zoneServices(String zone);

  /** Runtime ports open to everyone in the zone, as "2049/tcp". */
  List<String> zonePorts(String zone);

  /**
   * Whether a read costs milliseconds (busctl), so reading ahead what a request will probably need
   * beats waiting for it; not so for firewall-cmd, a Python start-up per read.
   */
  default boolean cheapReads() {
    return false;
  }

  /** How this path changes rules: busctl calls with busctl reads, firewall-cmd otherwise. */
  FirewallEdits edits();

  /**
   * busctl when it is installed, else firewall-cmd. Probed on every request with the (cheap)
   * state read itself, so installing or removing systemd's busctl needs no agent restart.
   */
  static FirewallReads open(Operation op) {
    FirewallBus bus = new FirewallBus(op);
    return bus.available() ? bus : new FirewallCmdReads(op);
  }

  default void requireRunning() {
    if (!running()) {
      throw new RefusedException("firewalld is not running on this node (ensure the firewalld service first)");
    }
  }

  /** The zone asked for, or firewalld's default zone; refuses a zone firewalld does not know. */
  default String resolveZone(String requested) {
    if (requested == null || requested.isEmpty()) {
      return defaultZone();
    }
    FirewallCmd.checkZone(requested);
    BothReads.Both<Set<String>, Set<String>> both = BothReads.of(() -> zones(true), () -> zones(false));
    Set<String> zones = both.first();
    if (!zones.contains(requested)) {
      throw new RefusedException("firewalld zone '" + requested + "' does not exist on this node; zones: " + zones);
    }
    if (!both.second().contains(requested)) {
      throw new RefusedException("firewalld zone '" + requested + "' is defined but the running firewalld does not"
          + " know it yet; run 'firewall-cmd --reload' or restart firewalld");
    }
    return requested;
  }

  /**
   * Every service must be defined both in the permanent configuration and in the running daemon.
   * A service file installed after firewalld started (glusterfs-server ships
   * /usr/lib/firewalld/services/glusterfs.xml) is unknown at runtime until a reload; we refuse
   * rather than reload, because a reload drops runtime-only rules someone else may rely on.
   */
  default void requireServices(List<String> services) {
    if (!services.isEmpty()) {
      requireServices(services, knownServices());
    }
  }

  /** The services firewalld knows: permanent, runtime. */
  default BothReads.Both<Set<String>, Set<String>> knownServices() {
    return BothReads.of(() -> services(true), () -> services(false));
  }

  /** {@link #requireServices(List)} against service lists already read. */
  default void requireServices(List<String> services, BothReads.Both<Set<String>, Set<String>> both) {
    Set<String> permanent = both.first();
    Set<String> runtime = both.second();
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
}
