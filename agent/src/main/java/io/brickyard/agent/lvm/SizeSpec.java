package io.brickyard.agent.lvm;

import io.brickyard.common.storage.Sizes;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size as written in requests and recipes: an absolute binary size ("1G", "500M", "256K",
 * "2T", plain bytes "4096" or "4096B") or an LVM extent percentage ("100%FREE", "80%VG",
 * "50%PVS"). Parsed once, validated, and turned back into exactly one LVM argument, so that what
 * the dry run shows is what runs. Units are binary (1K = 1024), as LVM treats them on input.
 */
public sealed interface SizeSpec {

  /** An absolute size in bytes. */
  record Absolute(long bytes) implements SizeSpec {
    /** The {@code -L}/{@code -V} value: the largest unit that divides exactly ("1G", "1536M"). */
    public String lvmArg() {
      return Sizes.compact(bytes);
    }
  }

  /** {@code -l N%BASE}: a share of the VG, of its free space or of the listed PVs. */
  record Percent(int percent, String base) implements SizeSpec {
    public String lvmArg() {
      return percent + "%" + base;
    }
  }

  Pattern ABSOLUTE = Pattern.compile("(\\d+)(?:\\.(\\d+))?\\s*([KMGTP]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);
  Pattern PERCENT = Pattern.compile("(\\d{1,3})%(FREE|VG|PVS)", Pattern.CASE_INSENSITIVE);

  /**
   * Parses {@code text}; {@code field} names the request field in the error message so that a
   * bad request is answered with INVALID_ARGUMENT saying which field is wrong.
   */
  static SizeSpec parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + " is required (e.g. \"5G\" or \"100%FREE\")");
    }
    String t = text.strip();
    Matcher p = PERCENT.matcher(t);
    if (p.matches()) {
      int pct = Integer.parseInt(p.group(1));
      if (pct < 1 || pct > 100) {
        throw new IllegalArgumentException(field + ": percentage must be 1..100, got \"" + text + "\"");
      }
      return new Percent(pct, p.group(2).toUpperCase(Locale.ROOT));
    }
    return parseAbsolute(t, field);
  }

  /** Like {@link #parse} but only absolute sizes are allowed (thin virtual sizes, chunk sizes). */
  static Absolute parseAbsolute(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + " is required (e.g. \"1G\")");
    }
    Matcher m = ABSOLUTE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(field + ": cannot parse size \"" + text
          + "\" (use e.g. 512M, 1G, 2T" + (text.contains("%") ? "; a percentage is not allowed here" : "") + ")");
    }
    int shift = switch (m.group(3).toUpperCase(Locale.ROOT)) {
      case "" -> 0;
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      case "T" -> 40;
      default -> 50;
    };
    java.math.BigDecimal value = new java.math.BigDecimal(m.group(1) + (m.group(2) == null ? "" : "." + m.group(2)))
        .multiply(java.math.BigDecimal.valueOf(2).pow(shift));
    if (value.signum() <= 0) {
      throw new IllegalArgumentException(field + ": size must be positive, got \"" + text + "\"");
    }
    if (value.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(field + ": \"" + text + "\" is not a whole number of bytes");
    }
    try {
      return new Absolute(value.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(field + ": size too large: \"" + text + "\"");
    }
  }

  /** Optional absolute size: empty means "LVM default" and yields null. */
  static Absolute optional(String text, String field) {
    return text == null || text.isBlank() ? null : parseAbsolute(text, field);
  }
}
