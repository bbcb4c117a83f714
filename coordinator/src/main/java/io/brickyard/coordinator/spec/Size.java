package io.brickyard.coordinator.spec;

import io.brickyard.common.storage.Sizes;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written with a binary suffix: {@code 512K}, {@code 1G}, {@code 2T}. A bare number
 * is refused on purpose: LVM reads "1024" as MiB while mkfs reads it as bytes, and a spec must not
 * depend on which tool a value ends up in.
 */
public record Size(long bytes) implements PoolSize, Comparable<Size> {
  private static final Pattern FORM = Pattern.compile("([0-9]+)([KMGTkmgt])");
  private static final String UNITS = "KMGT";

  public Size {
    if (bytes <= 0) {
      throw new IllegalArgumentException("size must be positive, got " + bytes);
    }
  }

  public static Size ofKib(long kib) {
    return new Size(kib << 10);
  }

  public static Size ofMib(long mib) {
    return new Size(mib << 20);
  }

  public static Size ofGib(long gib) {
    return new Size(gib << 30);
  }

  /** Parses "1G", "256k"; throws IllegalArgumentException with an admin-facing reason. */
  public static Size parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("unparseable size '" + text
          + "': use a whole number with a binary suffix K, M, G or T, e.g. 1G");
    }
    int shift = 10 * (UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1);
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + text + "' is too large", e);
    }
    if (n == 0) {
      throw new IllegalArgumentException("size '" + text + "' must be greater than zero");
    }
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
    return new Size(n << shift);
  }

  /** The largest unit that divides exactly: 1073741824 -> "1G", 1536 MiB -> "1536M" (see {@link Sizes}). */
  @Override
  public String lvmArgument() {
    return Sizes.compact(bytes);
  }

  @Override
  public int compareTo(Size o) {
    return Long.compare(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return lvmArgument();
  }
}
