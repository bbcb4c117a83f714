package io.brickyard.agent.vip;

import io.brickyard.agent.facts.IpAddr.Addr;
import io.brickyard.agent.facts.IpAddr.Link;
import io.brickyard.api.agent.v1.HeldVip;
import java.util.ArrayList;
import java.util.List;

/**
 * The mark that tells a VIP from the node's own addresses: the agent adds every VIP with the
 * IPv4 address label {@code IF:by} ({@code ip addr add 10.0.0.100/24 dev eth0 label eth0:by}).
 *
 * <p>Why a label: it is held by the kernel with the address itself, so it is exactly as true as
 * the address (no state file that can disagree with the node), it survives an agent restart or
 * upgrade, and it vanishes with the address: after a reboot the node holds no VIP and claims none,
 * which is right, since ownership must then be granted again. {@code ip addr} shows it to people
 * ("inet 10.0.0.100/24 scope global secondary eth0:by"). Addresses the admin configured carry the
 * plain interface name (or their own alias), so they are never taken for VIPs and never removed.
 *
 * <p>Limits: labels exist for IPv4 only, and the kernel caps a label at 15 characters and insists
 * it begins with the interface name, so an interface name longer than 12 characters is refused.
 */
public final class VipLabel {
  static final String SUFFIX = ":by";
  private static final int IFNAMSIZ_MAX = 15;

  private VipLabel() {}

  /** The label for a VIP on {@code ifname}; refuses a name too long to carry it. */
  static String of(String ifname) {
    String label = ifname + SUFFIX;
    if (label.length() > IFNAMSIZ_MAX) {
      throw new IllegalArgumentException("interface: '" + ifname + "' is longer than "
          + (IFNAMSIZ_MAX - SUFFIX.length()) + " characters, too long for the VIP label " + label);
    }
    return label;
  }

  /** Whether {@code a} on {@code l} is a VIP this agent added. */
  public static boolean marks(Link l, Addr a) {
    return a.ipv4() && a.label().equals(l.name() + SUFFIX);
  }

  /** The VIPs held now, for facts. */
  public static List<HeldVip> held(List<Link> links) {
    List<HeldVip> out = new ArrayList<>();
    for (Link l : links) {
      l.addrs().stream().filter(a -> marks(l, a))
          .forEach(a -> out.add(HeldVip.newBuilder().setAddress(a.cidr()).setInterface(l.name()).build()));
    }
    return out;
  }
}
