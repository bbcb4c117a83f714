package io.brickyard.coordinator.spec;

import io.brickyard.common.text.EditDistance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed, path-aware reads from the generic maps/lists/strings that SnakeYAML's safe loader gives.
 * Every problem becomes an {@link Issue} at the exact field path and reading carries on, so one
 * pass reports every structural error. Absent and null (an empty value) are the same thing.
 */
final class YamlReader {
  private final List<Issue> issues = new ArrayList<>();

  List<Issue> issues() {
    return issues;
  }

  void error(String path, String message) {
    issues.add(Issue.error(path, message));
  }

  static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String at(String path, int index) {
    return path + "[" + index + "]";
  }

  /** The value as a mapping with string keys, or null after reporting why not. */
  Map<String, Object> mapping(Object value, String path) {
    if (!(value instanceof Map<?, ?> m)) {
      error(path, "expected a mapping, got " + describe(value));
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getKey() instanceof String k) {
        out.put(k, e.getValue());
      } else {
        error(path, "field names must be strings, got " + describe(e.getKey()));
      }
    }
    return out;
  }

  /** Reports every key of {@code m} that is not in {@code known}, suggesting the closest name. */
  void onlyKnown(Map<String, Object> m, String path, List<String> known) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        error(at(path, k), unknown("field", k, known));
      }
    }
  }

  /** "unknown field 'replicas'; did you mean 'replica'?" or the list of known names. */
  static String unknown(String what, String name, Collection<String> known) {
    String best = closest(name, known);
    if (best != null) {
      return "unknown " + what + " '" + name + "'; did you mean '" + best + "'?";
    }
    return "unknown " + what + " '" + name + "'; expected one of: " + String.join(", ", known);
  }

  /** The known name nearest to {@code name}, if near enough to be a plausible typo. */
  static String closest(String name, Collection<String> known) {
    String n = fold(name);
    return known.stream()
        .filter(k -> {
          int d = EditDistance.between(n, fold(k));
          return d <= Math.max(2, Math.min(n.length(), k.length()) / 3);
        })
        .min(Comparator.comparingInt(k -> EditDistance.between(n, fold(k))))
        .orElse(null);
  }

  private static String fold(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** The raw value, or null; when required and absent, reports "required field is missing". */
  Object get(Map<String, Object> m, String key, String path, boolean required) {
    Object v = m.get(key);
    if (v == null && required) {
      error(at(path, key), "required field is missing");
    }
    return v;
  }

  String string(Map<String, Object> m, String key, String path, boolean required) {
    Object v = get(m, key, path, required);
    return v == null ? null : string(v, at(path, key));
  }

  String string(Object v, String path) {
    if (v instanceof String s) {
      return s;
    }
    error(path, "expected a string, got " + describe(v));
    return null;
  }

  /** Plain scalars arrive as strings (see SpecParser's resolver); explicit !!int also works. */
  Integer integer(Map<String, Object> m, String key, String path, boolean required) {
    Object v = get(m, key, path, required);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof String s && s.matches("-?[0-9]{1,9}")) {
      return Integer.parseInt(s);
    }
    error(at(path, key), "expected an integer, got " + describe(v));
    return null;
  }

  /**
   * A list of integers, or null when the value is not a list or any element is not an integer
   * (each bad element reported at its index).
   */
  List<Integer> integers(Map<String, Object> m, String key, String path) {
    List<Object> l = list(m, key, path, false);
    if (l == null) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    String lp = at(path, key);
    for (int i = 0; i < l.size(); i++) {
      Object v = l.get(i);
      if (v instanceof Integer n) {
        out.add(n);
      } else if (v instanceof String s && s.matches("-?[0-9]{1,9}")) {
        out.add(Integer.parseInt(s));
      } else {
        error(at(lp, i), "expected an integer, got " + describe(v));
      }
    }
    return out.size() == l.size() ? out : null;
  }

  /** Only true/false: YAML 1.1's yes/no/on/off are refused rather than silently reinterpreted. */
  Boolean bool(Map<String, Object> m, String key, String path, boolean def) {
    Object v = m.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    error(at(path, key), "expected true or false, got " + describe(v));
    return def;
  }

  List<Object> list(Object v, String path) {
    if (v instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    error(path, "expected a list, got " + describe(v));
    return null;
  }

  List<Object> list(Map<String, Object> m, String key, String path, boolean required) {
    Object v = get(m, key, path, required);
    return v == null ? null : list(v, at(path, key));
  }

  /** A list of strings; bad elements are reported at their index and skipped. */
  List<String> strings(Map<String, Object> m, String key, String path, boolean required) {
    List<Object> l = list(m, key, path, required);
    if (l == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      String s = string(l.get(i), at(at(path, key), i));
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** Applies a parser that throws IllegalArgumentException with an admin-facing message. */
  <T> T parse(String text, String path, Function<String, T> parser) {
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      error(path, e.getMessage());
      return null;
    }
  }

  static String describe(Object v) {
    if (v == null) {
      return "an empty value";
    }
    if (v instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return "'" + v + "'";
    }
    if (v instanceof byte[]) {
      return "binary data";
    }
    return "a value of YAML type " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
