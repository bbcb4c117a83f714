package io.brickyard.agent.gluster;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a wanted option value equals what {@code volume get} reports. gluster stores boolean
 * options the way they were set ("on", "true", "enable"...), so booleans compare by meaning;
 * everything else compares exactly (sizes like 64MB are reported as set).
 */
final class OptionValues {
  private static final Set<String> TRUE = Set.of("on", "yes", "true", "enable", "1");
  private static final Set<String> FALSE = Set.of("off", "no", "false", "disable", "0");

  private OptionValues() {}

  static boolean same(String current, String wanted) {
    if (current.equals(wanted)) {
      return true;
    }
    String c = current.toLowerCase(Locale.ROOT);
    String w = wanted.toLowerCase(Locale.ROOT);
    return TRUE.contains(c) && TRUE.contains(w) || FALSE.contains(c) && FALSE.contains(w);
  }
}
