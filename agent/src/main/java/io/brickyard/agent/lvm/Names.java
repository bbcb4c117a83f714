package io.brickyard.agent.lvm;

import io.brickyard.common.storage.LvmNames;
import java.util.regex.Pattern;

/** Validation of request fields that end up as LVM arguments; errors name the field. */
final class Names {
  private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9+_.:/-]+");

  private Names() {}

  static String lvmName(String s, String field) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    // LV rules for every name, VGs included: stricter than LVM, which costs nothing (see LvmNames)
    if (LvmNames.problem(s, true) != null) {
      throw new IllegalArgumentException(field + ": \"" + s + "\" is not a valid LVM name");
    }
    return s;
  }

  static String device(String s, String field) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!DEVICE.matcher(s).matches() || s.contains("/../")) {
      throw new IllegalArgumentException(field + ": \"" + s + "\" is not a /dev path");
    }
    return s;
  }
}
