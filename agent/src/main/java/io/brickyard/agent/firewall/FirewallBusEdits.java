package io.brickyard.agent.firewall;

import static io.brickyard.agent.firewall.FirewallBus.CONFIG_ZONE_IFACE;
import static io.brickyard.agent.firewall.FirewallBus.PATH;
import static io.brickyard.agent.firewall.FirewallBus.ZONE_IFACE;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Rule changes over firewalld's D-Bus API with busctl, the same methods firewall-cmd calls
 * (firewalld 1.x, firewall/server/firewalld.py and config_zone.py):
 * <ul>
 *   <li>runtime: {@code zone.addRichRule(s zone, s rule, i timeout)} with timeout 0 (no expiry) and
 *       {@code zone.removeRichRule(s zone, s rule)} on /org/fedoraproject/FirewallD1; both reply
 *       the zone name;
 *   <li>permanent: {@code config.zone.addRichRule(s rule)} / {@code removeRichRule(s rule)} on the
 *       zone's configuration object (the path getZoneByName gave the permanent read of this same
 *       request); firewalld writes /etc/firewalld/zones/ZONE.xml before it replies (no reply body).
 * </ul>
 * Each is a few ms instead of firewall-cmd's Python start-up. firewalld handles D-Bus calls one at
 * a time, so they run one after another.
 *
 * <p>firewall-cmd turns ALREADY_ENABLED / NOT_ENABLED into a warning with exit 0; over D-Bus they
 * are errors (busctl exit 1, "Call failed: ALREADY_ENABLED: ..."). They only happen when someone
 * else made the same change between our read and our write: the state asked for is reached, so
 * that is a warning here too, and every other error fails the operation.
 */
final class FirewallBusEdits implements FirewallEdits {
  private final FirewallBus bus;

  FirewallBusEdits(FirewallBus bus) {
    this.bus = bus;
  }

  @Override
  public Edit edit(String zone, RichRule rule, boolean permanent, boolean add) {
    String r = rule.toString();
    if (permanent) {
      return new Edit(zone, rule, true, add, FirewallBus.call(bus.zonePath(zone), CONFIG_ZONE_IFACE,
          add ? "addRichRule" : "removeRichRule", "s", r));
    }
    return new Edit(zone, rule, false, add, add ? FirewallBus.call(PATH, ZONE_IFACE, "addRichRule", "ssi", zone, r, "0")
        : FirewallBus.call(PATH, ZONE_IFACE, "removeRichRule", "ss", zone, r));
  }

  @Override
  public List<Edit> run(Operation op, List<Edit> edits) {
    List<Edit> made = new ArrayList<>();
    for (Edit e : edits) {
      try {
        op.change(e.command());
        made.add(e);
      } catch (CommandFailedException ex) {
        if (!raced(e, ex.result())) {
          throw ex;
        }
        op.warn((e.permanent() ? "permanent" : "runtime") + " rule " + (e.add() ? "already present" : "already absent")
            + " when written (changed concurrently by someone else): " + e.rule());
      }
    }
    return made;
  }

  /** firewalld's answer when the rule was added (removed) after our read: the goal is reached. */
  static boolean raced(Edit e, CommandResult r) {
    String code = e.add() ? "ALREADY_ENABLED" : "NOT_ENABLED";
    return r.exitCode() == 1 && !r.timedOut() && r.stderr().strip().startsWith("Call failed: " + code + ":");
  }
}
