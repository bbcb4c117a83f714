package io.brickyard.common.storage;

import java.util.List;
import java.util.regex.Pattern;

/**
 * LVM's name rules (lvm(8) "VALID NAMES"), one definition for the spec validator (coordinator) and
 * the agent's check of every request field that becomes an LVM argument.
 */
public final class LvmNames {
  /** A-Z a-z 0-9 + _ . - , not starting with '-', at most 127 characters. */
  private static final Pattern LVM_NAME = Pattern.compile("[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}");
  /** LVM reserves these for its internal sub-LVs. */
  private static final List<String> RESERVED_PARTS = List.of("_cdata", "_cmeta", "_corig", "_mlog",
      "_mimage", "_pmspare", "_rimage", "_rmeta", "_tdata", "_tmeta", "_vorigin", "_vdata");

  private LvmNames() {}

  /**
   * Null when {@code s} is a valid VG name (or LV name, with {@code logicalVolume}), else the
   * reason, naming the value.
   */
  public static String problem(String s, boolean logicalVolume) {
    if (!LVM_NAME.matcher(s).matches() || s.equals(".") || s.equals("..")) {
      return "'" + s + "' is not a valid LVM name: use letters, digits and + _ . -,"
          + " at most 127 characters, not starting with '-'";
    }
    if (logicalVolume) {
      if (s.startsWith("snapshot") || s.startsWith("pvmove")) {
        return "'" + s + "' is not a valid LV name: LVM reserves names starting with snapshot or pvmove";
      }
      for (String part : RESERVED_PARTS) {
        if (s.contains(part)) {
          return "'" + s + "' is not a valid LV name: LVM reserves names containing " + part;
        }
      }
    }
    return null;
  }
}
