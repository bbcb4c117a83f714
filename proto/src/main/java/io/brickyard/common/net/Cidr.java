package io.brickyard.common.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * A source network for the firewall or an export, "10.130.0.0/16" (a bare address means a single
 * host): one definition for the spec (coordinator) and for the RPC values the agent checks again.
 *
 * <p>Two texts: {@link #toString()} is the canonical "address/prefix" the spec prints, and
 * {@link #text()} is what was written (a bare address stays bare), which the agent passes on
 * verbatim because firewalld stores a rich rule's source as given and compares rules as strings.
 * Equality is the network as written (address and prefix), not the spelling of the prefix.
 *
 * <p>{@link #hostBitsSet()} lets callers refuse "10.130.1.0/16", which is ambiguous: a typo in the
 * address or in the prefix, and we will not guess which. {@link #everyAddress()} is the other
 * refusal both sides make: a /0 opens a service to everyone.
 */
public final class Cidr {
  /** Why a /0 is refused, after the network: "0.0.0.0/0 is every IPv4 address; ...". */
  private static final String EVERYONE = "; brickyard never opens a service to everyone (name the trusted networks)";

  private final String address;
  private final int prefix;
  private final String text;

  public Cidr(String address, int prefix) {
    this(address, prefix, address + "/" + prefix);
  }

  private Cidr(String address, int prefix, String text) {
    byte[] a = IpAddress.parse(address);
    if (a == null) {
      throw new IllegalArgumentException("'" + address + "' is not an IPv4 or IPv6 address");
    }
    if (prefix < 0 || prefix > a.length * 8) {
      throw new IllegalArgumentException("prefix /" + prefix + " is out of range for "
          + (a.length == 4 ? "IPv4 (0-32)" : "IPv6 (0-128)"));
    }
    this.address = address;
    this.prefix = prefix;
    this.text = text;
  }

  /** Parses "10.0.0.0/8", "fd00::/8" or a single address; throws IllegalArgumentException with the reason. */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    if (slash < 0) {
      byte[] a = IpAddress.parse(t);
      if (a == null) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR (e.g. 10.130.0.0/16) or an IP address");
      }
      return new Cidr(t, a.length * 8, t);
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
      return new Cidr(addr, Integer.parseInt(p), t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * The agent's check of a source network in a request: parses, then refuses a /0 and host bits,
   * each with a message naming {@code field} and the value.
   */
  public static Cidr parseSource(String field, String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException(field + ": empty source CIDR");
    }
    Cidr c;
    try {
      c = parse(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
    if (c.everyAddress()) {
      throw new IllegalArgumentException(field + ": '" + raw + "' " + c.everyAddressReason());
    }
    if (c.hostBitsSet()) {
      throw new IllegalArgumentException(field + ": '" + raw + "' has host bits set; use the network address");
    }
    return c;
  }

  public String address() {
    return address;
  }

  public int prefix() {
    return prefix;
  }

  /** As written (trimmed): "10.1.2.3" stays without its /32. */
  public String text() {
    return text;
  }

  public boolean ipv6() {
    return address.contains(":");
  }

  /** "ipv4" or "ipv6", as firewalld's rich rules name the family. */
  public String family() {
    return ipv6() ? "ipv6" : "ipv4";
  }

  /** A /0: every address of its family, which brickyard never trusts. */
  public boolean everyAddress() {
    return prefix == 0;
  }

  /** Why {@link #everyAddress()} is refused, to follow the network in a message. */
  public String everyAddressReason() {
    return "is every " + (ipv6() ? "IPv6" : "IPv4") + " address" + EVERYONE;
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
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.address.equals(address) && c.prefix == prefix;
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, prefix);
  }

  /** The canonical "address/prefix". */
  @Override
  public String toString() {
    return address + "/" + prefix;
  }
}
