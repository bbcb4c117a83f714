package io.brickyard.coordinator.failover;

import java.util.Map;
import java.util.Set;

/**
 * Which node a free VIP goes to: issue 11's "home when healthy, else the healthiest NFS node (fewest
 * VIPs, ganesha healthy, bricks of the exported volumes online)". A pure function of the leader's view,
 * so that the take and the early grace before it pick the same node.
 */
final class NodeChoice {
  private NodeChoice() {}

  /**
   * Home when its ganesha is up ({@code health} says {@code up}) and no brick of an exported volume is
   * offline on it ({@code troubled} lists the nodes with one, {@link BrickHealth}); else the NFS node
   * with ganesha up and every brick online holding the fewest VIPs; else, when every node with ganesha
   * up has a brick offline, home when up, else the one holding the fewest VIPs. Null when no NFS node
   * has ganesha up.
   */
  static String choose(HaConfig cfg, HaConfig.Vip vip, Map<String, String> holders, Map<String, String> health,
      Set<String> troubled) {
    boolean homeUp = "up".equals(health.get(vip.home())) && cfg.nfsNodes().contains(vip.home());
    if (homeUp && !troubled.contains(vip.home())) {
      return vip.home();
    }
    String healthy = fewestVips(cfg, holders, health, troubled);
    if (healthy != null) {
      return healthy;
    }
    return homeUp ? vip.home() : fewestVips(cfg, holders, health, Set.of());
  }

  /** The NFS node with ganesha up, not in {@code excluded}, holding the fewest VIPs (the first in nfs.nodes on a tie). */
  private static String fewestVips(HaConfig cfg, Map<String, String> holders, Map<String, String> health,
      Set<String> excluded) {
    String best = null;
    long bestCount = Long.MAX_VALUE;
    for (String n : cfg.nfsNodes()) {
      if (!"up".equals(health.get(n)) || excluded.contains(n)) {
        continue;
      }
      long count = holders.values().stream().filter(n::equals).count();
      if (count < bestCount) {
        best = n;
        bestCount = count;
      }
    }
    return best;
  }
}
