package io.brickyard.common.net;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict IPv4/IPv6 literal parsing without {@link java.net.InetAddress}: InetAddress falls back to a
 * DNS lookup for text it does not recognise, and validating a spec must never touch the network.
 */
public final class IpAddress {
  private static final Pattern V4_PART = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern V6_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private IpAddress() {}

  /** 4 or 16 bytes, or null when {@code text} is not an IP literal. */
  public static byte[] parse(String text) {
    return text.contains(":") ? parseV6(text) : parseV4(text);
  }

  public static boolean isLiteral(String text) {
    return parse(text) != null;
  }

  public static byte[] parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      // Leading zeros are refused: some tools read "010" as octal 8.
      if (!V4_PART.matcher(parts[i]).matches()) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  public static byte[] parseV6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    List<Integer> head = groups(gap >= 0 ? text.substring(0, gap) : text);
    List<Integer> tail = gap >= 0 ? groups(text.substring(gap + 2)) : List.of();
    if (head == null || tail == null) {
      return null;
    }
    int total = head.size() + tail.size();
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.size(); i++) {
      put(out, i, head.get(i));
    }
    for (int i = 0; i < tail.size(); i++) {
      put(out, 8 - tail.size() + i, tail.get(i));
    }
    return out;
  }

  /** Colon-separated groups; a trailing dotted quad counts as two groups (::ffff:10.0.0.1). */
  private static List<Integer> groups(String s) {
    List<Integer> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    String[] parts = s.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.contains(".")) {
        byte[] v4 = parseV4(p);
        if (v4 == null) {
          return null;
        }
        out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
        out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
      } else if (V6_GROUP.matcher(p).matches()) {
        out.add(Integer.parseInt(p, 16));
      } else {
        return null;
      }
    }
    return out;
  }

  private static void put(byte[] out, int group, int value) {
    out[2 * group] = (byte) (value >> 8);
    out[2 * group + 1] = (byte) value;
  }

  /** Dotted quad, or IPv6 as eight lower-case hex groups with the longest zero run compressed. */
  public static String format(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
