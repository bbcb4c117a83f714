package io.brickyard.agent.vip;

import io.brickyard.agent.facts.IpAddr;
import io.brickyard.agent.facts.IpAddr.Addr;
import io.brickyard.agent.facts.IpAddr.Link;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Check-then-act for one VIP on this node, every decision on a fresh {@code ip -json addr} read.
 *
 * <p>Add: the address must fall in the subnet of exactly one up, ARP-speaking interface of this node
 * (the named one if given), with that subnet's prefix or /32, and be neither a node address nor the
 * subnet's network or broadcast address. Right before {@code ip addr add}, a duplicate address probe
 * ({@link Arping#dad}) asks the link whether anybody answers for it; if someone does, the add is
 * refused. That is the last-line guard against two holders: whoever decides ownership (the
 * coordinator, later a ZooKeeper lease) may be wrong or late, the link is not. After the add,
 * gratuitous ARPs make neighbours (clients, routers) switch their entry to this node's MAC at once
 * instead of after their entry goes stale (seconds to minutes).
 *
 * <p>Remove: only an address carrying the VIP label ({@link VipLabel}) is removed; a node address
 * with the same value is refused, so no request can take a node off its own network.
 */
final class VipOps {
  static final Duration DEFAULT_DAD_WAIT = Duration.ofMillis(500);
  static final int DEFAULT_GRATUITOUS_ARPS = 1;
  /** A Linux interface name that cannot be an option or a path: at most 15 characters. */
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");

  OperationResult ensurePresent(Operation op, EnsureVipPresentRequest req) {
    return ensurePresent(op, req, () -> { });
  }

  /**
   * The same, running {@code beforeAdd} between the duplicate address probe and {@code ip addr add}
   * (not in a dry run): a take sends grace event 5 while the probe waits, and the address must not
   * answer before the event is done ({@link VipOwnership#take}).
   */
  OperationResult ensurePresent(Operation op, EnsureVipPresentRequest req, Runnable beforeAdd) {
    Ipv4 vip = Ipv4.parseCidr("address", req.getAddress());
    refuseSpecial("address", vip);
    String wanted = req.getInterface();
    if (!wanted.isEmpty() && !IFNAME.matcher(wanted).matches()) {
      throw new IllegalArgumentException("interface: '" + wanted + "' is not an interface name");
    }
    Duration wait = dadWait(req.getDadWaitMillis());
    int garps = gratuitousArps(req.getGratuitousArps());

    List<Link> links = IpAddr.links(op.readChecked(IpAddr.COMMAND).stdout());
    for (Link l : links) {
      for (Addr a : l.addrs()) {
        if (!a.ipv4() || !Ipv4.of(a).sameAddress(vip)) {
          continue;
        }
        if (!VipLabel.marks(l, a)) {
          throw new RefusedException(vip.address() + " is a node address on " + l.name() + " (" + a.cidr()
              + ", label '" + a.label() + "'), not a VIP");
        }
        if ((wanted.isEmpty() || wanted.equals(l.name())) && a.prefix() == vip.prefix()) {
          return op.unchanged("VIP " + vip + " already held on " + l.name());
        }
        throw new RefusedException("VIP " + vip.address() + " is held here as " + a.cidr() + " on " + l.name()
            + ", asked for " + vip + (wanted.isEmpty() ? "" : " on " + wanted) + ": remove it first (EnsureVipAbsent)");
      }
    }

    Placement p = place(links, vip, wanted);
    String label = VipLabel.of(p.link().name());
    String dev = p.link().name();
    op.probe(Arping.dad(dev, vip, wait)).map(Arping::dadOutcome).filter(Arping.Dad::held).ifPresent(d -> {
      throw new RefusedException("address " + vip.address() + " held by MAC " + String.join(", ", d.answeredBy())
          + " (it answered the duplicate address probe on " + dev + "); not adding it here");
    });
    if (!op.dryRun()) {
      beforeAdd.run();
    }
    op.change(Command.of("ip", "addr", "add", vip.cidr(), "dev", dev, "label", label));
    announce(op, dev, vip, garps);
    return op.done(op.dryRun()
        ? "add VIP " + vip + " on " + dev + " unless another host answers a " + wait.toMillis()
            + " ms duplicate address probe, then announce it by " + garps + " gratuitous ARP(s)"
        : "added VIP " + vip + " on " + dev + " (no other host answered within " + wait.toMillis()
            + " ms), announced by " + garps + " gratuitous ARP(s)");
  }

  OperationResult ensureAbsent(Operation op, EnsureVipAbsentRequest req) {
    Ipv4 vip = Ipv4.parseAddress("address", req.getAddress());
    List<Link> links = IpAddr.links(op.readChecked(IpAddr.COMMAND).stdout());
    List<String> removed = new ArrayList<>();
    for (Link l : links) {
      for (Addr a : l.addrs()) {
        if (a.ipv4() && Ipv4.of(a).sameAddress(vip) && !VipLabel.marks(l, a)) {
          throw new RefusedException(vip.address() + " is a node address on " + l.name() + " (" + a.cidr()
              + ", label '" + a.label() + "'), not a VIP: not removing it");
        }
      }
    }
    for (Link l : links) {
      for (Addr a : l.addrs()) {
        if (VipLabel.marks(l, a) && Ipv4.of(a).sameAddress(vip)) {
          op.change(Command.of("ip", "addr", "del", a.cidr(), "dev", l.name()));
          removed.add(a.cidr() + " from " + l.name());
        }
      }
    }
    return removed.isEmpty() ? op.unchanged("VIP " + vip.address() + " not held here")
        : op.done("removed VIP " + String.join(", ", removed));
  }

  /**
   * The gratuitous ARPs, bounded in time ({@link Arping#announce}); an arping stopped before it sent
   * anything (a machine so loaded that it did not start within the bound) is run again, twice at most,
   * and then it is a failure: an address neighbours were never told of is unreachable for them.
   */
  private static void announce(Operation op, String dev, Ipv4 vip, int garps) {
    for (int attempt = 1; ; attempt++) {
      CommandResult r = op.change(Arping.announce(dev, vip, garps));
      if (op.dryRun() || Arping.announced(r) > 0) {
        return;
      }
      if (attempt == 3) {
        throw new OperationFailedException("no gratuitous ARP for " + vip.address() + " left " + dev
            + " in 3 attempts: " + r.failureMessage());
      }
    }
  }

  /** Where the VIP goes: the interface and the node subnet (one of its own addresses) containing it. */
  record Placement(Link link, Ipv4 subnet) {}

  static Placement place(List<Link> links, Ipv4 vip, String wanted) {
    if (!wanted.isEmpty() && links.stream().noneMatch(l -> l.name().equals(wanted))) {
      throw new RefusedException("interface: no interface " + wanted + " on this node");
    }
    List<Placement> found = new ArrayList<>();
    List<String> subnets = new ArrayList<>();
    for (Link l : links) {
      if (!wanted.isEmpty() && !l.name().equals(wanted) || l.flags().contains("LOOPBACK")) {
        continue;
      }
      for (Addr a : l.addrs()) {
        if (!a.ipv4() || VipLabel.marks(l, a)) {
          continue;
        }
        Ipv4 own = Ipv4.of(a);
        subnets.add(own.subnet() + " on " + l.name());
        if (own.contains(vip) && found.stream().noneMatch(f -> f.link().name().equals(l.name()))) {
          found.add(new Placement(l, own));
        }
      }
    }
    if (found.isEmpty()) {
      throw new RefusedException("address " + vip + " is outside every subnet of "
          + (wanted.isEmpty() ? "this node" : wanted) + " (" + String.join(", ", subnets) + ")");
    }
    if (found.size() > 1) {
      throw new RefusedException("address " + vip + " lies in the subnets of "
          + String.join(" and ", found.stream().map(f -> f.link().name()).toList()) + ": name the interface");
    }
    Placement p = found.get(0);
    Link l = p.link();
    Ipv4 net = p.subnet();
    if (vip.prefix() != net.prefix() && vip.prefix() != 32) {
      throw new RefusedException("address " + vip + ": the prefix must be that of the subnet " + net.subnet()
          + " on " + l.name() + " (/" + net.prefix() + ") or /32");
    }
    if (net.prefix() <= 30 && (vip.bits() == net.network() || vip.bits() == net.broadcast())) {
      throw new RefusedException("address " + vip.address() + " is the network or broadcast address of "
          + net.subnet());
    }
    if (!l.up()) {
      throw new RefusedException("interface " + l.name() + " is down");
    }
    if (l.flags().contains("NOARP") || !l.linkType().equals("ether")) {
      throw new RefusedException("interface " + l.name() + " does not speak ARP (" + l.linkType() + ", "
          + String.join(",", l.flags()) + "): neighbours could not be told of the VIP");
    }
    return p;
  }

  /** Addresses that are never a VIP on a LAN: this-network, loopback, link-local, multicast and above. */
  private static void refuseSpecial(String field, Ipv4 vip) {
    int first = vip.bits() >>> 24;
    boolean linkLocal = vip.bits() >>> 16 == (169 << 8 | 254);
    if (first == 0 || first == 127 || first >= 224 || linkLocal) {
      throw new IllegalArgumentException(field + ": " + vip.address()
          + " is a this-network, loopback, link-local, multicast or reserved address");
    }
  }

  static Duration dadWait(int millis) {
    if (millis == 0) {
      return DEFAULT_DAD_WAIT;
    }
    if (millis < 100 || millis > 5000) {
      throw new IllegalArgumentException("dad_wait_millis: " + millis + " is outside 100-5000");
    }
    return Duration.ofMillis(millis);
  }

  static int gratuitousArps(int n) {
    if (n == 0) {
      return DEFAULT_GRATUITOUS_ARPS;
    }
    if (n < 1 || n > 5) {
      throw new IllegalArgumentException("gratuitous_arps: " + n + " is outside 1-5");
    }
    return n;
  }
}
