package io.brickyard.coordinator.spec;

import java.util.Objects;

/**
 * One problem found in a cluster spec, addressed by a field path such as {@code volumes[1].bricks[2]}
 * so that an admin can find it without line numbers. Warnings never stop a run; errors stop it
 * before anything touches a node.
 *
 * <p>One line by construction: path and message often quote what the spec says, and a value such
 * as {@code "a\nb"} or an ANSI escape would otherwise break the CLI's one-line-per-issue output or
 * rewrite the admin's terminal. Line breaks, tabs, other control characters and bidirectional
 * overrides are shown escaped ({@code \n}, {@code \u001b}).
 */
public record Issue(String path, String message, boolean warning) {
  /** Path used for problems of the YAML text itself (syntax, duplicate keys, several documents). */
  public static final String DOCUMENT = "<yaml>";

  public Issue {
    path = oneLine(Objects.requireNonNull(path, "path"));
    message = oneLine(Objects.requireNonNull(message, "message"));
  }

  /** {@code text} with every character that could break or hijack a terminal line escaped. */
  static String oneLine(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String esc = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> Character.isISOControl(c) || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'
            || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
      };
      if (esc != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (esc != null) {
          out.append(esc);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  public static Issue error(String path, String message) {
    return new Issue(path, message, false);
  }

  public static Issue warning(String path, String message) {
    return new Issue(path, message, true);
  }

  public boolean isError() {
    return !warning;
  }

  /** {@code error: volumes[0].bricks: brick count 3 is not a multiple of replica 2}. */
  @Override
  public String toString() {
    return (warning ? "warning: " : "error: ") + path + ": " + message;
  }
}
