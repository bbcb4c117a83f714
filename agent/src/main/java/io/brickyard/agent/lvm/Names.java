package io.brickyard.agent.lvm;

import java.util.regex.Pattern;

/** Validation of request fields that end up as LVM arguments; errors name the field. */
final class Names {
  /** lvm(8) "VALID NAMES": A-Z a-z 0-9 + _ . - , not starting with '-'. */
  private static final Pattern LVM_NAME = Pattern.compile("[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}");
  private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9+_.:/-]+");

  private Names() {}

  static String lvmName(String s, String field) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!LVM_NAME.matcher(s).matches() || s.equals(".") || s.equals("..") || s.startsWith("snapshot")
        || s.startsWith("pvmove")) {
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
