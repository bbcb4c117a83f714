package io.brickyard.coordinator.spec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code 100%FREE} or {@code 80%VG}: a pool sized relative to its volume group, resolved by LVM at
 * creation time. Only these two bases are accepted; %PVS/%ORIGIN make no sense for a brick pool.
 */
public record PercentSize(int percent, Base base) implements PoolSize {
  /** What the percentage is of. */
  public enum Base { FREE, VG }

  private static final Pattern FORM = Pattern.compile("([0-9]{1,3})%([A-Za-z]+)");

  public PercentSize {
    if (percent < 1 || percent > 100) {
      throw new IllegalArgumentException("percentage must be between 1 and 100, got " + percent);
    }
  }

  /** Parses "100%FREE" / "80%vg"; throws IllegalArgumentException with an admin-facing reason. */
  public static PercentSize parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("unparseable size '" + text + "': use e.g. 100%FREE or 80%VG");
    }
    Base base;
    try {
      base = Base.valueOf(m.group(2).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unparseable size '" + text + "': the percentage must be of FREE or VG", e);
    }
    int pct = Integer.parseInt(m.group(1));
    if (pct < 1 || pct > 100) {
      throw new IllegalArgumentException("size '" + text + "': percentage must be between 1 and 100");
    }
    return new PercentSize(pct, base);
  }

  @Override
  public String lvmArgument() {
    return percent + "%" + base;
  }

  @Override
  public String toString() {
    return lvmArgument();
  }
}
