package io.brickyard.agent.facts;

import java.util.HashMap;
import java.util.Map;

/** /etc/os-release: KEY=value lines, values optionally quoted. */
public final class OsRelease {
  private OsRelease() {}

  public static Map<String, String> parse(String text) {
    Map<String, String> m = new HashMap<>();
    for (String line : text.split("\n")) {
      line = line.strip();
      int i = line.indexOf('=');
      if (line.startsWith("#") || i <= 0) {
        continue;
      }
      String v = line.substring(i + 1).strip();
      if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
        v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
      }
      m.put(line.substring(0, i), v);
    }
    return m;
  }
}
