package io.brickyard.coordinator.spec;

import io.brickyard.common.net.IpAddress;
import io.brickyard.common.storage.LvmNames;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name and path rules of the tools the spec ends up in (DNS, LVM, glusterd, the kernel's paths).
 * Each check returns null when fine, else the reason, so the validator can add the field path.
 */
final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  /** glusterd's cli_validate_volname(): reserved words, and names at most 256 characters. */
  private static final List<String> GLUSTER_RESERVED = List.of("volume", "type", "subvolumes", "option",
      "end-volume", "all", "volume_not_in_ring", "description", "force", "snap-max-hard-limit",
      "snap-max-soft-limit", "auto-delete", "activate-on-create");
  static final int GLUSTER_VOLUME_NAME_MAX = 256;
  private static final Pattern GLUSTER_CHARS = Pattern.compile("[A-Za-z0-9_-]+");

  private Names() {}

  static String dnsLabel(String s) {
    return DNS_LABEL.matcher(s).matches() ? null : "'" + s + "' is not a DNS label: use lowercase letters,"
        + " digits and '-', at most 63 characters, starting and ending with a letter or digit";
  }

  /** A host name (dot-separated labels, at most 253 characters) or an IPv4/IPv6 literal. */
  static String host(String s) {
    if (IpAddress.isLiteral(s)) {
      return null;
    }
    String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    boolean ok = !t.isEmpty() && t.length() <= 253;
    for (String label : t.split("\\.", -1)) {
      ok &= HOST_LABEL.matcher(label).matches();
    }
    return ok ? null : "'" + s + "' is neither a host name nor an IP address";
  }

  static String lvm(String s, boolean logicalVolume) {
    return LvmNames.problem(s, logicalVolume);
  }

  static String glusterVolume(String s) {
    if (s.isEmpty()) {
      return "volume name is empty";
    }
    if (s.startsWith("-")) {
      return "'" + s + "' is not a valid gluster volume name: it must not start with '-'";
    }
    if (GLUSTER_RESERVED.contains(s)) {
      return "'" + s + "' cannot be the name of a gluster volume (reserved by glusterd)";
    }
    if (s.length() > GLUSTER_VOLUME_NAME_MAX) {
      return "gluster volume names are at most " + GLUSTER_VOLUME_NAME_MAX + " characters";
    }
    if (!GLUSTER_CHARS.matcher(s).matches()) {
      return "'" + s + "' is not a valid gluster volume name: only letters, digits, '-' and '_' are allowed";
    }
    return null;
  }

  /** Absolute and normalized: no '.', '..', empty segment or trailing '/'; not "/" itself. */
  static String absolutePath(String s) {
    if (!s.startsWith("/")) {
      return "'" + s + "' is not an absolute path";
    }
    if (s.equals("/")) {
      return "'/' cannot be used here";
    }
    if (s.endsWith("/") || s.contains("//") || s.contains("/./") || s.contains("/../")
        || s.endsWith("/.") || s.endsWith("/..")) {
      return "'" + s + "' is not a normalized path (no '.', '..', '//' or trailing '/')";
    }
    if (s.chars().anyMatch(c -> c <= ' ' || c == ',' || c == ':' || c == 127)) {
      return "'" + s + "' contains a space, control character, ',' or ':'";
    }
    return null;
  }

  static String devicePath(String s) {
    String p = absolutePath(s);
    if (p != null) {
      return p;
    }
    return s.startsWith("/dev/") ? null
        : "'" + s + "' is not a device path: it must be under /dev, e.g. /dev/sdb or /dev/disk/by-id/...";
  }

  /** Whether {@code path} lies strictly below directory {@code dir} (both normalized). */
  static boolean below(String path, String dir) {
    return path.startsWith(dir + "/");
  }
}
