package io.brickyard.cli.status;

import io.brickyard.api.coordinator.v1.Coordinator;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.api.coordinator.v1.ZkMember;
import java.io.PrintWriter;

/**
 * The COORDINATION section of {@code status} (docs/ha.md): who leads the coordinators and where, the
 * standbys, whether the ZooKeeper ensemble survives the loss of a member, and each member as it answers
 * (a member out of the quorum makes the section, and status's exit code, unhealthy). Printed only for a
 * coordinator in an election ({@code --zookeeper}); without one the section is left out.
 */
final class HaStatusText {
  private HaStatusText() {}

  static void print(HaView ha, PrintWriter out) {
    if (!ha.getEnabled()) {
      return;
    }
    out.println("COORDINATION (ZooKeeper; answered by " + ha.getSelfId() + ")");
    if (ha.getLeaderId().isEmpty()) {
      out.println("  leader     UNKNOWN " + (ha.getConnected() ? "(nobody leads yet)"
          : "(" + ha.getSelfId() + "'s ZooKeeper session is not connected)") + ": failover and changes wait for one");
    }
    for (Coordinator c : ha.getCoordinatorsList()) {
      out.printf("  %-10s %s at %s%n", c.getLeader() ? "leader" : "standby", c.getId(),
          c.getAddress().isEmpty() ? "(no address published)" : c.getAddress());
    }
    out.println("  ensemble   " + ensemble(ha.getEnsembleSize()));
    for (ZkMember m : ha.getMembersList()) {
      out.printf("  member %-3d %s: %s%n", m.getId(), m.getAddress(),
          m.getMode().isEmpty() ? "NOT SERVING (" + m.getDetail() + ")" : m.getMode());
    }
    long serving = ha.getMembersList().stream().filter(m -> !m.getMode().isEmpty()).count();
    if (ha.getMembersCount() > 0 && serving < ha.getMembersCount()) {
      int quorum = ha.getEnsembleSize() / 2 + 1;
      out.println("  ensemble   " + (serving >= quorum
          ? serving + " of " + ha.getEnsembleSize() + " members serving: survives the loss of " + (serving - quorum)
              + " more"
          : "only " + serving + " of " + ha.getEnsembleSize() + " members serving, a quorum needs " + quorum
              + ": failover and changes wait"));
    }
  }

  /**
   * ZooKeeper serves while a majority of its members is up: 1 of 1, 2 of 2, 2 of 3. So one and two
   * members tolerate no loss (docs/ha.md, "Why 3 members").
   */
  static String ensemble(int size) {
    String members = size + (size == 1 ? " member" : " members");
    int tolerated = (size - 1) / 2;
    if (tolerated > 0) {
      return members + ": fault tolerant, survives the loss of " + tolerated + (tolerated == 1 ? " member" : " members");
    }
    return members + ": NOT fault tolerant (" + (size == 2 ? "a 2-member ensemble cannot lose either member"
        : "losing it stops every failover and drops every address") + "; 3 members tolerate one loss)";
  }

  /** Unhealthy for status's exit code: in an election, and no leader known or a member not serving. */
  static boolean healthy(HaView ha) {
    return !ha.getEnabled()
        || !ha.getLeaderId().isEmpty() && ha.getMembersList().stream().noneMatch(m -> m.getMode().isEmpty());
  }
}
