package io.brickyard.agent.gluster;

import io.brickyard.common.gluster.GlusterOptions;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Input rules for names that end up on the gluster command line. Volume names follow glusterd's
 * own check (cli_validate_volname: letters, digits, '-' and '_', not starting with '-', not a
 * volfile keyword; verified against gluster 10.3, which also accepts a leading digit or '_')
 * plus a Brickyard length cap of 64: glusterd allows far longer names, but the name becomes part
 * of NFS export paths, brick volfile ids and log file names, where long names only cause trouble.
 */
public final class GlusterNames {
  static final int MAX_VOLUME_NAME = 64;
  private static final Pattern VOLUME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
  /** glusterd's reserved words (cli-cmd-parser.c invalid_volnames); "all" and "volume" verified. */
  private static final Set<String> RESERVED = Set.of("volume", "type", "subvolumes", "option", "end-volume",
      "all", "volume_not_in_ring", "description", "force", "snap-max-hard-limit", "snap-max-soft-limit",
      "auto-delete", "activate-on-create");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.+-]+)+");

  private GlusterNames() {}

  public static String volume(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(field + ": volume name is required");
    }
    if (name.length() > MAX_VOLUME_NAME) {
      throw new IllegalArgumentException(field + ": volume name longer than " + MAX_VOLUME_NAME + " characters");
    }
    if (!VOLUME.matcher(name).matches()) {
      throw new IllegalArgumentException(field + ": '" + name
          + "' may only contain letters, digits, '-' and '_', and must not start with '-'");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(field + ": '" + name + "' is reserved by gluster");
    }
    return name;
  }

  static final int MAX_SNAPSHOT_NAME = 255;
  static final int MAX_DESCRIPTION = 1024;
  private static final Pattern SNAPSHOT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
  /** The words the CLI's snapshot parser takes as keywords where a snapshot name stands. */
  private static final Set<String> SNAPSHOT_RESERVED = Set.of("all", "volume", "description", "force",
      "no-timestamp", "activate", "deactivate", "create", "delete", "restore", "clone", "info", "list", "status",
      "config");

  /**
   * A snapshot name: gluster 10.3's CLI allows letters, digits, '-' and '_' up to 255 characters
   * ("Snapname can contain only alphanumeric, "-" and "_" characters"); Brickyard also refuses a
   * leading '-' (gluster itself accepts one) so that no name can ever read as an option, and the
   * CLI's keywords.
   */
  public static String snapshot(String field, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(field + ": snapshot name is required");
    }
    if (name.length() > MAX_SNAPSHOT_NAME) {
      throw new IllegalArgumentException(field + ": snapshot name longer than " + MAX_SNAPSHOT_NAME + " characters");
    }
    if (!SNAPSHOT.matcher(name).matches()) {
      throw new IllegalArgumentException(field + ": '" + name
          + "' may only contain letters, digits, '-' and '_', and must not start with '-'");
    }
    if (SNAPSHOT_RESERVED.contains(name) || RESERVED.contains(name)) {
      throw new IllegalArgumentException(field + ": '" + name + "' is a word of gluster's snapshot command");
    }
    return name;
  }

  /**
   * A snapshot description: optional, at most 1024 characters (the CLI truncates longer ones), one
   * line of printable text (glusterd stores it in a key=value file), not starting with '-'.
   */
  public static String description(String field, String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    if (text.length() > MAX_DESCRIPTION) {
      throw new IllegalArgumentException(field + ": description longer than " + MAX_DESCRIPTION + " characters");
    }
    if (text.startsWith("-")) {
      throw new IllegalArgumentException(field + ": description must not start with '-'");
    }
    if (text.codePoints().anyMatch(c -> Character.isISOControl(c))) {
      throw new IllegalArgumentException(field + ": description must be one line without control characters");
    }
    return text;
  }

  /** A peer address: a DNS hostname (RFC 1123) or an IPv4 literal. */
  static String host(String field, String host) {
    if (host == null || host.isEmpty() || host.length() > 253) {
      throw new IllegalArgumentException(field + ": hostname is required (at most 253 characters)");
    }
    if (IPV4.matcher(host).matches()) {
      return host;
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(field + ": '" + host + "' is not a valid hostname or IPv4 address");
      }
    }
    return host;
  }

  /**
   * "host:/abs/path": an absolute path without "." or ".." components or a trailing slash, so that
   * the string we send is the string volume info reports back (used for idempotency). gluster
   * refuses "localhost" as a brick host, so do we, with a clearer message.
   */
  static String brick(String field, String brick) {
    int colon = brick == null ? -1 : brick.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(field + ": '" + brick + "' must be host:/absolute/path");
    }
    String host = host(field, brick.substring(0, colon));
    if (host.equals("localhost") || host.startsWith("127.")) {
      throw new IllegalArgumentException(field + ": '" + brick + "' uses a loopback host; use the node's cluster hostname");
    }
    String path = brick.substring(colon + 1);
    if (path.length() > 200 || !PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(field + ": '" + brick + "' path must be absolute, at most 200 characters of"
          + " letters, digits, '_', '.', '+', '-', with no trailing slash");
    }
    for (String c : path.substring(1).split("/")) {
      if (c.equals(".") || c.equals("..")) {
        throw new IllegalArgumentException(field + ": '" + brick + "' path must not contain '.' or '..'");
      }
    }
    return brick;
  }

  /**
   * A volume option and its value for {@code volume set}: a key of gluster's own option table and
   * a value that cannot pass for a CLI option (see {@link GlusterOptions}), checked before any
   * command runs. The field is named by key, as the spec names it.
   */
  static void option(String key, String value) {
    String field = "values[" + key + "]";
    GlusterOptions.bundled().keyProblem(key).ifPresent(p -> {
      throw new IllegalArgumentException("values: " + p);
    });
    GlusterOptions.valueProblem(value).ifPresent(p -> {
      throw new IllegalArgumentException(field + ": " + p);
    });
  }
}
