package io.brickyard.agent.nfs;

import java.util.regex.Pattern;

/**
 * An NFSv4 pseudo path ("/vol1", "/projects/a"): absolute, components of letters, digits, '.',
 * '_' and '-' (no '.'/'..' component, none starting with '-'), not the pseudo root "/" itself,
 * which ganesha owns (export 0). The charset keeps it safe inside a quoted config string.
 */
record PseudoPath(String text) {
  static final int MAX_LENGTH = 1024;
  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}");

  static PseudoPath parse(String field, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new IllegalArgumentException(field + ": a pseudo path such as /vol1 is required");
    }
    if (raw.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(field + ": longer than " + MAX_LENGTH + " characters");
    }
    if (!raw.startsWith("/") || raw.equals("/")) {
      throw new IllegalArgumentException(field + ": '" + printable(raw) + "' must be an absolute path below / "
          + "(/ is ganesha's pseudo root)");
    }
    String[] parts = raw.substring(1).split("/", -1);
    for (String p : parts) {
      if (p.isEmpty() || p.equals(".") || p.equals("..") || !COMPONENT.matcher(p).matches()) {
        throw new IllegalArgumentException(field + ": '" + printable(raw) + "' may only have components of letters, "
            + "digits, '.', '_' and '-' (not starting with '-', no empty, '.' or '..' component, no trailing '/')");
      }
    }
    return new PseudoPath(raw);
  }

  /** For error messages: control characters (a newline in a hostile value) shown escaped. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(200).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}
