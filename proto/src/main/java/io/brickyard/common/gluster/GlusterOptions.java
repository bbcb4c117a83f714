package io.brickyard.common.gluster;

import io.brickyard.common.text.EditDistance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which gluster volume options exist, and which keys and values may reach the gluster CLI. One
 * definition for the coordinator (spec validation, no gluster there) and the agent (which checks
 * every RPC again): both read the same table, captured from glusterfs 10.3
 * ({@code options-glusterfs-10.3.txt} next to this class).
 *
 * <p>Why a table and not just a syntax rule: gluster's CLI takes any word starting with "--" as
 * its own option wherever it stands, so {@code volume set vol1 performance.cache-size
 * --log-file=/tmp/x} makes root's CLI write /tmp/x (seen on 10.3). Keys must therefore be known
 * option names, and values must not start with '-' (a single '-' is harmless to gluster today,
 * but no argv value of ours starts with '-', so no tool's option parser can ever be reached).
 */
public final class GlusterOptions {
  private static final String RESOURCE = "options-glusterfs-10.3.txt";
  /** gluster's namespace for free-form keys (glusterd stores them, no translator reads them). */
  private static final String USER_PREFIX = "user.";
  private static final Pattern USER_KEY = Pattern.compile("user\\.[A-Za-z0-9][A-Za-z0-9._-]{0,120}");
  static final int MAX_VALUE = 4096;

  /** Where glusterd accepts an option: on one volume, or only on all at once ({@code volume set all}). */
  public enum Scope { VOLUME, CLUSTER }

  private static volatile GlusterOptions bundled;
  private final Map<String, Scope> keys;

  GlusterOptions(Map<String, Scope> keys) {
    this.keys = Map.copyOf(keys);
  }

  /** The table shipped with Brickyard (glusterfs 10.3). */
  public static GlusterOptions bundled() {
    GlusterOptions t = bundled;
    if (t == null) {
      try (InputStream in = GlusterOptions.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + RESOURCE + " missing from the classpath");
        }
        t = parseTable(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bundled = t;
    }
    return t;
  }

  /** Lines "volume KEY" or "cluster KEY"; '#' starts a comment line. */
  static GlusterOptions parseTable(String text) {
    Map<String, Scope> keys = new TreeMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split(" ");
      if (f.length != 2) {
        throw new IllegalStateException(RESOURCE + ": bad line '" + l + "'");
      }
      keys.put(f[1], Scope.valueOf(f[0].toUpperCase(java.util.Locale.ROOT)));
    }
    return new GlusterOptions(keys);
  }

  /** The known keys with their scope, sorted. */
  public Map<String, Scope> keys() {
    return new TreeMap<>(keys);
  }

  /**
   * Why {@code key} may not be set on one volume, or empty when it may: it must be a volume option
   * of the table or a {@code user.*} key, spelled exactly (glusterd is case-sensitive).
   */
  public Optional<String> keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("option name is empty");
    }
    Scope scope = keys.get(key);
    if (scope == Scope.VOLUME || USER_KEY.matcher(key).matches()) {
      return Optional.empty();
    }
    if (scope == Scope.CLUSTER) {
      return Optional.of("'" + key + "' is a cluster-wide option (gluster volume set all), not a volume option");
    }
    if (key.startsWith(USER_PREFIX)) {
      return Optional.of("'" + key + "': user.* option names are letters, digits, '.', '_' and '-' after 'user.'");
    }
    return Optional.of("'" + printable(key) + "' is not a gluster volume option"
        + suggestion(key).map(s -> "; did you mean " + s + "?").orElse(" (e.g. performance.cache-size)"));
  }

  /** Why {@code value} may not be handed to the gluster CLI, or empty when it may. */
  public static Optional<String> valueProblem(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of("option value is empty");
    }
    if (value.length() > MAX_VALUE) {
      return Optional.of("option value is longer than " + MAX_VALUE + " characters");
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("option value must not contain control characters or line breaks");
    }
    if (value.startsWith("-")) {
      return Optional.of("option value must not start with '-' (the gluster CLI would take it as its own option)");
    }
    return Optional.empty();
  }

  /**
   * The known volume key nearest to a misspelt one: the shortest key ending in ".key" (a short
   * name like cache-size: performance.cache-size rather than performance.nfs.*), else the
   * closest within 3 edits (case ignored).
   */
  public Optional<String> suggestion(String key) {
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    var volumeKeys = keys.entrySet().stream().filter(e -> e.getValue() == Scope.VOLUME).map(Map.Entry::getKey).toList();
    Optional<String> bySuffix = volumeKeys.stream().filter(k -> k.endsWith("." + lower))
        .min(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    if (bySuffix.isPresent()) {
      return bySuffix;
    }
    return volumeKeys.stream()
        .filter(k -> Math.abs(k.length() - lower.length()) <= 3)
        .map(k -> Map.entry(k, EditDistance.between(k, lower)))
        .filter(e -> e.getValue() <= 3)
        .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue).thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey);
  }

  /** A key echoed in a message: control characters shown as '?', at most 80 characters. */
  private static String printable(String s) {
    String p = s.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return p.length() > 80 ? p.substring(0, 80) + "..." : p;
  }
}
