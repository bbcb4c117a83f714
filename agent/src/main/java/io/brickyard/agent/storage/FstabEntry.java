package io.brickyard.agent.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * One fstab line's fields, unescaped ({@code \040} is a space), as fstab(5) and libmount read
 * them: missing trailing fields default to {@code defaults 0 0}. {@code owned} is true when the
 * line ends with {@link FstabFile#MARKER}.
 */
public record FstabEntry(String spec, String file, String vfsType, List<String> options,
    int freq, int passno, boolean owned) {

  public FstabEntry {
    options = List.copyOf(options);
  }

  /** A line Brickyard would write. */
  public static FstabEntry owned(String spec, String mountPoint, String vfsType, List<String> options) {
    return new FstabEntry(spec, normalize(mountPoint), vfsType, options, 0, 0, true);
  }

  /**
   * Parses one raw line (ISO-8859-1 chars, terminator included or not). Empty for blank lines,
   * comments and lines with fewer than two fields (libmount skips those too).
   */
  static Optional<FstabEntry> parse(String raw) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return Optional.empty();
    }
    String comment = "";
    List<String> fields = new ArrayList<>();
    for (String tok : line.split("[ \t]+")) {
      if (!comment.isEmpty() || tok.startsWith("#")) {
        comment = comment.isEmpty() ? tok : comment + " " + tok;
      } else {
        fields.add(tok);
      }
    }
    if (fields.size() < 2) {
      return Optional.empty();
    }
    String type = fields.size() > 2 ? unescape(fields.get(2)) : "auto";
    String opts = fields.size() > 3 ? unescape(fields.get(3)) : "defaults";
    return Optional.of(new FstabEntry(unescape(fields.get(0)), normalize(unescape(fields.get(1))), type,
        List.of(opts.split(",")), fields.size() > 4 ? number(fields.get(4)) : 0,
        fields.size() > 5 ? number(fields.get(5)) : 0, comment.equals(FstabFile.MARKER)));
  }

  /** The line Brickyard writes, escaped, with the ownership marker, as ISO-8859-1 chars. */
  public String asOwnedLine() {
    String text = escape(spec) + " " + escape(file) + " " + escape(vfsType) + " "
        + escape(String.join(",", options)) + " " + freq + " " + passno + " " + FstabFile.MARKER + "\n";
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Same filesystem at the same place with the same options (order of options ignored). */
  boolean sameMount(FstabEntry o) {
    return spec.equals(o.spec) && file.equals(o.file) && vfsType.equals(o.vfsType)
        && new LinkedHashSet<>(options).equals(new LinkedHashSet<>(o.options));
  }

  /** "/a/b/" and "/a/b" are the same mount point. */
  static String normalize(String mountPoint) {
    String s = mountPoint;
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** fstab(5) escapes: a backslash and three octal digits is one byte. Bytes are UTF-8. */
  static String unescape(String field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.write(c & 0xff);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int k = from; k < from + 3; k++) {
      if (s.charAt(k) < '0' || s.charAt(k) > '7') {
        return false;
      }
    }
    return true;
  }

  /** Escapes what would split or end a field: space, tab, newline, backslash, '#'. */
  static String escape(String value) {
    StringBuilder sb = new StringBuilder();
    for (char c : value.toCharArray()) {
      switch (c) {
        case ' ' -> sb.append("\\040");
        case '\t' -> sb.append("\\011");
        case '\n' -> sb.append("\\012");
        case '\\' -> sb.append("\\134");
        case '#' -> sb.append("\\043");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
