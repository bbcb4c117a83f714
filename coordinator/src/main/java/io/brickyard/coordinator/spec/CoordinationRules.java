package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.net.IpAddress;
import io.brickyard.common.zk.ZkClients;
import io.brickyard.coordinator.spec.CoordinationSpec.Member;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules of the {@code coordination:} section (docs/ha.md). Errors: member ids 1-255 and addresses
 * IPv4 literals (a member's certificate is checked against the address it is dialled at), each once;
 * a session timeout ZooKeeper grants with its 500 ms tick (2-10 s) and long enough for the
 * release-before-expiry margin (at least 3 s); a failback delay of 0-3600 s. Warnings: one member
 * (not fault tolerant), two members (cannot fail over: losing either stops both), an even count
 * (tolerates no more failures than one member fewer).
 */
final class CoordinationRules {
  static final int MIN_SESSION = 3;
  static final int MAX_SESSION = 10;
  static final int MAX_FAILBACK_DELAY = 3600;

  private final CoordinationSpec c;
  private final List<Issue> out;

  CoordinationRules(CoordinationSpec c, List<Issue> out) {
    this.c = c;
    this.out = out;
  }

  void check() {
    String path = "coordination";
    Map<Integer, Integer> ids = new HashMap<>();
    Map<String, Integer> addresses = new HashMap<>();
    for (int i = 0; i < c.members().size(); i++) {
      Member m = c.members().get(i);
      String p = at(at(path, "members"), i);
      if (m.id() < 1 || m.id() > 255) {
        out.add(Issue.error(at(p, "id"), "a ZooKeeper member id is 1-255, got " + m.id()));
      } else if (ids.putIfAbsent(m.id(), i) != null) {
        out.add(Issue.error(at(p, "id"), "id " + m.id() + " is also members[" + ids.get(m.id()) + "]'s"));
      }
      if (IpAddress.parseV4(m.address()) == null) {
        out.add(Issue.error(at(p, "address"), "'" + m.address() + "' is not an IPv4 address (members are "
            + "dialled by address: their certificates carry it)"));
      } else if (addresses.putIfAbsent(m.address(), i) != null) {
        out.add(Issue.error(at(p, "address"), m.address() + " is also members[" + addresses.get(m.address())
            + "]'s"));
      }
    }
    int n = c.members().size();
    String mp = at(path, "members");
    if (n == 0) {
      out.add(Issue.error(mp, "at least one ZooKeeper member is required"));
    } else if (n == 1) {
      out.add(Issue.warning(mp, "one ZooKeeper member is not fault tolerant: its host's loss stops every "
          + "failover and drops every VIP; use 3 (docs/ha.md)"));
    } else if (n == 2) {
      out.add(Issue.warning(mp, "2 ZooKeeper members cannot fail over: losing either one stops ZooKeeper "
          + "for both (no majority), so every VIP is dropped; use 3, e.g. the two storage nodes and the "
          + "coordinator's host (docs/ha.md)"));
    } else if (n % 2 == 0) {
      out.add(Issue.warning(mp, n + " ZooKeeper members tolerate " + (n - 1) / 2 + " failure(s), as "
          + (n - 1) + " would: an even count adds a host without adding tolerance"));
    }
    if (c.sessionTimeoutSeconds() < MIN_SESSION || c.sessionTimeoutSeconds() > MAX_SESSION) {
      out.add(Issue.error(at(path, "sessionTimeout"), "seconds " + MIN_SESSION + "-" + MAX_SESSION + ", got "
          + c.sessionTimeoutSeconds() + " (ZooKeeper grants 1-10 s with its 500 ms tick; under 3 s the "
          + "release-before-expiry margin of docs/ha.md is under 1 s)"));
    } else if (c.sessionTimeoutSeconds() != ZkClients.SESSION_TIMEOUT.toSeconds()) {
      out.add(Issue.warning(at(path, "sessionTimeout"), "sessionTimeout " + c.sessionTimeoutSeconds() + " is not "
          + "applied yet: the agents and coordinators open " + ZkClients.SESSION_TIMEOUT.toSeconds() + " s ZooKeeper "
          + "sessions whatever the spec says, and failovers follow those (docs/ha.md, \"Timeouts\")"));
    }
    if (c.failbackDelaySeconds() < 0 || c.failbackDelaySeconds() > MAX_FAILBACK_DELAY) {
      out.add(Issue.error(at(path, "failbackDelay"), "seconds 0-" + MAX_FAILBACK_DELAY + ", got "
          + c.failbackDelaySeconds()));
    }
  }
}
