package io.brickyard.agent.vip;

import io.brickyard.agent.facts.IpAddr;
import io.brickyard.common.net.IpAddress;

/**
 * An IPv4 address with a prefix length, held as an int so that subnet arithmetic (contains,
 * network, broadcast) is exact. It exists beside the shared {@code common.net.Cidr} because that one
 * insists on a network address (host bits zero), which a VIP never is, and keeps text, not bits.
 * Parsing is the shared strict one ({@link IpAddress#parseV4}): four decimal octets without
 * leading zeros, so nothing odd (octal-looking "010", "-", spaces, a host name) reaches an argv.
 */
record Ipv4(int bits, int prefix) {
  /** "10.0.0.5/24"; {@code field} names the request field in the error. */
  static Ipv4 parseCidr(String field, String raw) {
    String s = raw == null ? "" : raw;
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(field + ": '" + raw + "' needs a prefix length, e.g. 10.0.0.100/24");
    }
    String p = s.substring(slash + 1);
    if (!p.matches("[1-9]\\d?|0")) {
      throw new IllegalArgumentException(field + ": '" + raw + "' has a bad prefix length");
    }
    int prefix = Integer.parseInt(p);
    if (prefix > 32) {
      throw new IllegalArgumentException(field + ": '" + raw + "' prefix must be 0-32");
    }
    return new Ipv4(parseAddress(field, s.substring(0, slash), raw).bits, prefix);
  }

  /** "10.0.0.5" (no prefix): the result has prefix 32. */
  static Ipv4 parseAddress(String field, String raw) {
    return parseAddress(field, raw == null ? "" : raw, raw);
  }

  private static Ipv4 parseAddress(String field, String addr, String raw) {
    byte[] octets = addr.contains(":") ? null : IpAddress.parseV4(addr);
    if (octets == null) {
      throw new IllegalArgumentException(field + ": '" + raw + "' is not an IPv4 address (four decimal octets 0-255"
          + " without leading zeros; IPv6 VIPs are not supported)");
    }
    int v = 0;
    for (byte octet : octets) {
      v = v << 8 | (octet & 0xff);
    }
    return new Ipv4(v, 32);
  }

  /** An IPv4 address as ip reports it (the kernel's own output, parsed as strictly). */
  static Ipv4 of(IpAddr.Addr a) {
    return new Ipv4(parseAddress("ip", a.local()).bits, a.prefix());
  }

  int mask() {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  int network() {
    return bits & mask();
  }

  int broadcast() {
    return bits | ~mask();
  }

  /** Whether {@code other}'s address lies in this address's subnet. */
  boolean contains(Ipv4 other) {
    return (other.bits & mask()) == network();
  }

  boolean sameAddress(Ipv4 other) {
    return bits == other.bits;
  }

  String address() {
    return (bits >>> 24) + "." + (bits >>> 16 & 255) + "." + (bits >>> 8 & 255) + "." + (bits & 255);
  }

  /** The subnet, "10.0.0.0/24". */
  String subnet() {
    return new Ipv4(network(), prefix).cidr();
  }

  String cidr() {
    return address() + "/" + prefix;
  }

  @Override
  public String toString() {
    return cidr();
  }
}
