package io.brickyard.coordinator.spec;

import java.util.Arrays;

/**
 * A source network for the firewall, "10.130.0.0/16" (a bare address means a single host). Kept
 * as written; {@link #hostBitsSet()} lets the validator refuse "10.130.1.0/16", which is ambiguous:
 * a typo in the address or in the prefix, and we will not guess which.
 */
public record Cidr(String address, int prefix) {
  public Cidr {
    byte[] a = IpAddress.parse(address);
    if (a == null) {
      throw new IllegalArgumentException("'" + address + "' is not an IPv4 or IPv6 address");
    }
    if (prefix < 0 || prefix > a.length * 8) {
      throw new IllegalArgumentException("prefix /" + prefix + " is out of range for "
          + (a.length == 4 ? "IPv4 (0-32)" : "IPv6 (0-128)"));
    }
  }

  /** Parses "10.0.0.0/8", "fd00::/8" or a single address; throws IllegalArgumentException. */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    if (slash < 0) {
      byte[] a = IpAddress.parse(t);
      if (a == null) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR (e.g. 10.130.0.0/16) or an IP address");
      }
      return new Cidr(t, a.length * 8);
    }
    String p = t.substring(slash + 1);
    if (!p.matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("'" + text + "' has an invalid prefix length '" + p + "'");
    }
    String addr = t.substring(0, slash);
    if (IpAddress.parse(addr) == null) {
      throw new IllegalArgumentException("'" + text + "' is not a CIDR: '" + addr + "' is not an IP address");
    }
    try {
      return new Cidr(addr, Integer.parseInt(p));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  public boolean ipv6() {
    return address.contains(":");
  }

  public boolean hostBitsSet() {
    return !Arrays.equals(IpAddress.parse(address), masked(IpAddress.parse(address)));
  }

  /** This network with host bits cleared, e.g. 10.130.0.0/16 for 10.130.1.0/16. */
  public Cidr network() {
    return new Cidr(IpAddress.format(masked(IpAddress.parse(address))), prefix);
  }

  /** Whether the IP literal {@code ip} lies inside this network; false for non-literals. */
  public boolean contains(String ip) {
    byte[] a = IpAddress.parse(ip);
    byte[] mine = IpAddress.parse(address);
    return a != null && a.length == mine.length && Arrays.equals(masked(a), masked(mine));
  }

  private byte[] masked(byte[] a) {
    byte[] out = a.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
    }
    return out;
  }

  @Override
  public String toString() {
    return address + "/" + prefix;
  }
}
