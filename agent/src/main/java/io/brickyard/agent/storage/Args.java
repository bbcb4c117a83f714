package io.brickyard.agent.storage;

import io.brickyard.common.storage.MountPoints;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Request validation: bad input is INVALID_ARGUMENT naming the field, before anything runs. */
final class Args {
  private static final Pattern SIZE = Pattern.compile("[0-9]+[kmgKMG]?");
  private static final Pattern OPTION = Pattern.compile("[A-Za-z0-9_.:=/+@-]+");

  private Args() {}

  /** An absolute device path such as /dev/sdb or /dev/data/vol1. */
  static String device(String field, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!value.startsWith("/dev/") || value.contains("/../") || value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(field + " must be a device path under /dev/, got '" + value + "'");
    }
    return value;
  }

  /** An absolute, normalized path other than "/", without control characters. */
  static String path(String field, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!value.startsWith("/") || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(field + " must be an absolute path, got '" + value + "'");
    }
    String norm = Path.of(value).normalize().toString();
    if (!norm.equals(FstabEntry.normalize(value))) {
      throw new IllegalArgumentException(field + " must be normalized (no '.', '..' or '//'), got '" + value + "'");
    }
    if (norm.equals("/")) {
      throw new IllegalArgumentException(field + " must not be /");
    }
    return norm;
  }

  /** {@link #path}, and not a system directory ({@link MountPoints}, the spec validator's rule). */
  static String mountPoint(String field, String value) {
    String mp = path(field, value);
    MountPoints.refusal(mp).ifPresent(why -> {
      throw new IllegalArgumentException(field + ": " + why);
    });
    return mp;
  }

  static String option(String field, String value) {
    if (!OPTION.matcher(value).matches()) {
      throw new IllegalArgumentException(field + ": invalid mount option '" + value + "'");
    }
    return value;
  }

  static int powerOfTwo(String field, int value, int dflt, int min, int max) {
    int v = value == 0 ? dflt : value;
    if (v < min || v > max || Integer.bitCount(v) != 1) {
      throw new IllegalArgumentException(field + " must be a power of two in [" + min + ", " + max + "], got " + v);
    }
    return v;
  }

  /** "256k": digits with an optional k/m/g suffix, as mkfs.xfs -d su= takes it. */
  static String size(String field, String value) {
    if (!SIZE.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must look like 256k, got '" + value + "'");
    }
    return value;
  }
}
