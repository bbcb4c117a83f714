package io.brickyard.common.storage;

import java.util.Locale;

/**
 * Formatting of byte counts for LVM arguments and for humans (warnings, summaries): one definition
 * for the spec's sizes (coordinator) and the agent's, so that both write the same LVM argument.
 */
public final class Sizes {
  private static final String[] UNITS = {"", "K", "M", "G", "T", "P"};

  private Sizes() {}

  /** The largest binary unit that divides {@code bytes} exactly: 1073741824 -> "1G", 1536 MiB -> "1536M". */
  public static String compact(long bytes) {
    int u = 0;
    long v = bytes;
    while (u < UNITS.length - 1 && v != 0 && v % 1024 == 0) {
      v /= 1024;
      u++;
    }
    return u == 0 ? v + "B" : v + UNITS[u];
  }

  /** Two decimals in the largest unit below the value, like LVM's messages: "12.00 GiB", "4.98 GiB". */
  public static String human(long bytes) {
    double v = bytes;
    int u = 0;
    while (u < UNITS.length - 1 && Math.abs(v) >= 1024) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.2f %siB", v, UNITS[u]);
  }

  /** Rounds up to a multiple of {@code unit} (LVM rounds sizes up to whole extents). */
  public static long roundUp(long bytes, long unit) {
    if (unit <= 0) {
      return bytes;
    }
    return ((bytes + unit - 1) / unit) * unit;
  }
}
