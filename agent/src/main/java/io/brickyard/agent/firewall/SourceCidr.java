package io.brickyard.agent.firewall;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A validated source network for a rich rule. firewalld itself accepts "10.0.0.5/24" (host bits
 * set) and stores it verbatim, so a typo silently opens a different-looking rule than intended and
 * defeats the exact-string idempotency check; we therefore insist on the network address. The
 * family ("ipv4"/"ipv6") is derived here because a rich rule with a source needs it. A /0 prefix is
 * refused: a rule from "every address" opens the service to everyone.
 */
public record SourceCidr(String text, String family) {
  private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  /** Parses "10.130.0.0/16", "fd00::/64" or a single address; {@code field} names the request field. */
  public static SourceCidr parse(String field, String raw) {
    String s = raw == null ? "" : raw.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(field + ": empty source CIDR");
    }
    String addr = s;
    Integer prefix = null;
    int slash = s.indexOf('/');
    if (slash >= 0) {
      addr = s.substring(0, slash);
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + ": '" + raw + "' has a bad prefix length");
      }
    }
    boolean v4 = V4.matcher(addr).matches();
    boolean v6 = !v4 && addr.contains(":") && V6.matcher(addr).matches();
    if (!v4 && !v6) {
      throw new IllegalArgumentException(field + ": '" + raw + "' is not an IPv4/IPv6 address or CIDR");
    }
    byte[] bytes;
    try {
      // Only literals reach here (checked above), so this never does a DNS lookup.
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(field + ": '" + raw + "' is not a valid address");
    }
    if (v4 && bytes.length != 4 || v6 && bytes.length != 16) {
      throw new IllegalArgumentException(field + ": '" + raw + "' is not a valid address");
    }
    int bits = bytes.length * 8;
    if (prefix != null && (prefix < 0 || prefix > bits)) {
      throw new IllegalArgumentException(field + ": '" + raw + "' prefix must be 0-" + bits);
    }
    if (prefix != null && prefix == 0) {
      // 0.0.0.0/0 or ::/0 is "every address": that is opening the service to everyone, which
      // brickyard never does (RichRule); firewalld itself would accept it.
      throw new IllegalArgumentException(field + ": '" + raw + "' is every " + (v4 ? "IPv4" : "IPv6")
          + " address; brickyard never opens a service to everyone (name the trusted networks)");
    }
    if (prefix != null && prefix < bits) {
      BigInteger value = new BigInteger(1, bytes);
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
      if (!value.and(hostMask).equals(BigInteger.ZERO)) {
        throw new IllegalArgumentException(field + ": '" + raw + "' has host bits set; use the network address");
      }
    }
    if (v4) {
      for (int i = 1; i <= 4; i++) {
        // reject leading zeros ("010.1.2.3"): ambiguous (octal to some tools)
        String octet = matchGroup(addr, i);
        if (octet.length() > 1 && octet.startsWith("0")) {
          throw new IllegalArgumentException(field + ": '" + raw + "' has an octet with a leading zero");
        }
      }
    }
    return new SourceCidr(s, v4 ? "ipv4" : "ipv6");
  }

  private static String matchGroup(String addr, int group) {
    var m = V4.matcher(addr);
    m.matches();
    return m.group(group);
  }
}
