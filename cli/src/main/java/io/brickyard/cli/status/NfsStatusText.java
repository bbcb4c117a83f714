package io.brickyard.cli.status;

import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.api.coordinator.v1.NfsNodeView;
import io.brickyard.api.coordinator.v1.NfsView;
import io.brickyard.api.coordinator.v1.VipView;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * The NFS service as {@code status} and {@code vip list} print it, and what counts as unhealthy:
 * shared so that the two commands cannot disagree about a VIP.
 */
public final class NfsStatusText {
  private NfsStatusText() {}

  /** The NFS nodes (ganesha's health, pending restart, live exports), then the virtual IPs. */
  public static void print(NfsView nfs, PrintWriter out) {
    out.println("NFS");
    for (NfsNodeView n : nfs.getNodesList()) {
      out.printf("  %-10s %s%n", n.getNode(), ganesha(n));
      if (n.getRestartRequired()) {
        out.printf("  %-10s restart required: ganesha runs an older main configuration (restarting puts clients in grace)%n", "");
      }
      if (n.getReachable() && n.getGaneshaUp()) {
        out.printf("  %-10s exports %s%n", "", n.getExportsCount() == 0 ? "none"
            : n.getExportsList().stream().map(NfsStatusText::export).collect(Collectors.joining(", ")));
      }
    }
    out.println("VIRTUAL IPS");
    nfs.getVipsList().forEach(v -> out.println("  " + vipLine(v)));
  }

  static String ganesha(NfsNodeView n) {
    if (!n.getReachable()) {
      return "UNREACHABLE" + (n.getDetail().isEmpty() ? "" : ": " + n.getDetail());
    }
    if (!n.getGaneshaUp()) {
      return "ganesha DOWN" + (n.getDetail().isEmpty() ? "" : ": " + n.getDetail());
    }
    return "ganesha up" + (n.getInGrace() ? " (in grace)" : "");
  }

  private static String export(LiveExport e) {
    return e.getPseudoPath() + " (id " + e.getExportId() + ")";
  }

  /**
   * "10.77.0.201/24  home gluster1  held by gluster1", "... NOT HELD", "... HELD BY 2 NODES: a, b";
   * a VIP held away from its home says how to send it back (it stays where it is until asked: a
   * move interrupts its clients for a moment).
   */
  public static String vipLine(VipView v) {
    String holders = switch (v.getHoldersCount()) {
      case 0 -> "NOT HELD";
      case 1 -> "held by " + v.getHolders(0) + (v.getHolders(0).equals(v.getHome()) ? ""
          : " (away from home; 'brickyard vip move " + bare(v.getAddress()) + " --to " + v.getHome()
              + "' or 'brickyard apply --move-vips' moves it back)");
      default -> "HELD BY " + v.getHoldersCount() + " NODES: " + String.join(", ", v.getHoldersList());
    };
    return v.getAddress() + "  home " + v.getHome() + "  " + holders;
  }

  /** Healthy: every NFS node reachable with ganesha up, and every VIP held by exactly one node. */
  public static boolean healthy(NfsView nfs) {
    return nfs.getNodesList().stream().allMatch(n -> n.getReachable() && n.getGaneshaUp())
        && nfs.getVipsList().stream().allMatch(v -> v.getHoldersCount() == 1);
  }

  private static String bare(String address) {
    int slash = address.indexOf('/');
    return slash < 0 ? address : address.substring(0, slash);
  }
}
