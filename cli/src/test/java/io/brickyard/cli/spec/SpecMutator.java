package io.brickyard.cli.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Spec texts for the fuzz test, from a seeded {@link Random} (the same seed gives the same texts,
 * so any failure is reproducible from the seed and case number it prints): mutations of the real
 * examples, on the YAML tree (drop, duplicate, retype, swap and corrupt keys and values, hostile
 * strings, deep nesting) and on the text (tabs, torn lines, duplicate keys, anchors and alias bombs,
 * explicit tags, bad UTF-8, oversized documents), plus documents built from nothing.
 */
final class SpecMutator {
  /** Values an admin, a typo or an attacker could write; each one has broken a parser somewhere. */
  static final List<String> HOSTILE = List.of(
      "-rf", "--force", "-", "-o=x", "--", "-1", "-1G", "../../etc/passwd", "/gluster/../etc", "/", "", " ", "\t",
      "a b", "$(reboot)", "`id`", "; rm -rf /", "vol1\nvol2", "line\r\nbreak", "\u0000", "nul\u0000byte",
      "\u202eevil", "\u001b[31mred\u001b[0m", "é", "\uD835\uDD18\uD835\uDD2B", "☃", "\uFEFFbom", "ｇｌｕｓｔｅｒ１",
      "9".repeat(40), "2147483648", "-2147483649", "9223372036854775808", "1e309", "NaN", ".inf", "-.inf",
      "0x10", "0o17", "0b101", "1_000", "017", "100%FREE", "101%FREE", "0%VG", "-5%FREE", "1P", "999999999999T",
      "1.5G", "0.0001K", "18446744073709551616", "a".repeat(300), "gluster1:", ":/x", "gluster1:/", "gluster1:brick",
      "[::1]:7443", "10.0.0.1:99999", "10.0.0.1:-1", "10.0.0.1:0", "256.1.1.1/33", "0.0.0.0/0", "::/0", "10.0.0.0/-1",
      "null", "~", "true", "yes", "on", "no", "2024-01-01", "12:30:00", "*alias", "&anchor", "!!int 5", "<<",
      "%FREE", "100%", "G", "1G1", "replicate", "distributed-replicate", "arbiter", "disperse", "glusterfs", "tcp",
      "rdma", "gluster1", "gluster2", "rw", "ro", "root_squash", "all_squash", "10.77.0.201/24", "10.77.0.0/24",
      "/vol1", "eth0");

  private static final List<String> TAGGED = List.of(
      "!!int abc", "!!int 0x", "!!int 99999999999999999999999", "!!float foo", "!!float 1e999", "!!bool maybe",
      "!!timestamp nope", "!!timestamp 2024-13-45", "!!binary '%%%'", "!!binary aGVsbG8=", "!!set {a, b}",
      "!!omap [a: 1, a: 2]", "!!pairs [a: 1]", "!!seq x", "!!map x", "!!str [a]", "!!null x",
      "!!python/object:os.system [ls]", "!<tag:yaml.org,2002:int> 12345678901234567890", "!custom x", "!!merge x",
      "!!java.io.File /etc", "!<!> x");

  private static final List<String> KEYS = List.of("apiVersion", "kind", "metadata", "name", "nodes", "address",
      "glusterAddress", "firewall", "zone", "trustedSources", "services", "storage", "defaults", "device",
      "mountPoint", "fstabByUuid", "wipe", "volumeGroup", "devices", "thinPool", "size", "metadataSize", "chunkSize",
      "zero", "autoextend", "threshold", "percent", "thinVolumes", "virtualSize", "mkfs", "inodeSize", "namingSize",
      "raid", "stripeUnit", "stripeWidth", "mountOptions", "volumes", "type", "replica", "arbiter", "disperse",
      "redundancy", "transport", "bricks", "options", "allowSameNodeReplicas", "nfs", "gracePeriod", "leaseLifetime",
      "minorVersions", "recovery", "brickDirectory", "exports", "pseudo", "access", "squash", "protocols", "clients",
      "cidrs", "vips", "home", "interface");

  private final Random rnd;
  private final List<String> examples;

  SpecMutator(long seed, List<String> examples) {
    this.rnd = new Random(seed);
    this.examples = examples;
  }

  /** The next case as the bytes of a file (usually UTF-8; sometimes deliberately not). */
  byte[] next() {
    int kind = rnd.nextInt(100);
    String text;
    if (kind < 8) {
      text = dump(randomTree(0));
    } else {
      text = examples.get(rnd.nextInt(examples.size()));
      if (kind < 60) {
        Object tree = load(text);
        if (rnd.nextInt(3) == 0) {
          tree = withNfs(tree);
        }
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
          tree = mutateTree(tree, 0);
        }
        text = dump(tree);
      }
      for (int i = kind < 60 ? rnd.nextInt(2) : 1 + rnd.nextInt(3); i > 0; i--) {
        text = mutateText(text);
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (rnd.nextInt(60) == 0 && bytes.length > 0) { // not UTF-8 at all
      bytes = bytes.clone();
      bytes[rnd.nextInt(bytes.length)] = (byte) (0x80 + rnd.nextInt(0x80));
    }
    return bytes;
  }

  /**
   * The example with a valid {@code nfs:} section made from its own nodes and volumes (every field
   * set), so that the mutations that follow also reach the NFS section's mapper and rules.
   */
  @SuppressWarnings("unchecked")
  private Object withNfs(Object tree) {
    if (!(tree instanceof Map<?, ?> m0) || m0.containsKey("nfs")) {
      return tree;
    }
    Map<Object, Object> m = new LinkedHashMap<>((Map<Object, Object>) m0);
    List<Object> nodes = new ArrayList<>();
    List<Object> vips = new ArrayList<>();
    if (m.get("nodes") instanceof List<?> l) {
      for (Object n : l) {
        if (n instanceof Map<?, ?> nm && nm.get("name") instanceof String name) {
          nodes.add(name);
          vips.add(new LinkedHashMap<>(Map.of("address", "10.77.0." + (201 + vips.size()) + "/24", "home", name,
              "interface", "eth0")));
        }
      }
    }
    List<Object> exports = new ArrayList<>();
    if (m.get("volumes") instanceof List<?> l) {
      for (Object v : l) {
        if (v instanceof Map<?, ?> vm && vm.get("name") instanceof String name) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("volume", name);
          e.put("pseudo", "/exports/" + name);
          e.put("access", "rw");
          e.put("squash", pick(List.of("root_squash", "no_root_squash", "all_squash")));
          e.put("protocols", rnd.nextBoolean() ? List.of(4) : List.of(4, 3));
          e.put("clients", List.of(Map.of("cidrs", List.of("10.77.0.0/25", "10.77.1.5"), "access", "ro"),
              Map.of("cidrs", List.of("10.77.0.128/25"))));
          exports.add(e);
        }
      }
    }
    Map<String, Object> nfs = new LinkedHashMap<>();
    nfs.put("nodes", nodes);
    nfs.put("gracePeriod", 90);
    nfs.put("leaseLifetime", 60);
    nfs.put("minorVersions", List.of(0, 1, 2));
    nfs.put("recovery", Map.of("volume", "brickyard-nfs-state", "brickDirectory", "/var/lib/brickyard/nfs-state-brick",
        "mountPoint", "/var/lib/brickyard/nfs-state"));
    nfs.put("exports", exports);
    nfs.put("vips", vips);
    m.put("nfs", nfs);
    return m;
  }

  private static Object load(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  private static String dump(Object tree) {
    DumperOptions d = new DumperOptions();
    d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    d.setAllowUnicode(true);
    return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(d), d).dump(tree);
  }

  /** One change at a random place of the tree; returns the (possibly replaced) root. */
  @SuppressWarnings("unchecked")
  private Object mutateTree(Object node, int depth) {
    boolean here = depth > 0 && rnd.nextInt(4) == 0 || !(node instanceof Map<?, ?> || node instanceof List<?>);
    if (!here) {
      if (node instanceof Map<?, ?> m0 && !m0.isEmpty()) {
        Map<Object, Object> m = new LinkedHashMap<>((Map<Object, Object>) m0);
        List<Object> keys = new ArrayList<>(m.keySet());
        Object k = keys.get(rnd.nextInt(keys.size()));
        if (rnd.nextInt(3) > 0) {
          m.put(k, mutateTree(m.get(k), depth + 1));
          return m;
        }
        return mutateMap(m, keys);
      }
      if (node instanceof List<?> l0 && !l0.isEmpty()) {
        List<Object> l = new ArrayList<>((List<Object>) l0);
        int i = rnd.nextInt(l.size());
        switch (rnd.nextInt(6)) {
          case 0 -> l.remove(i);
          case 1 -> l.add(i, l.get(i)); // duplicate an element
          case 2 -> l.add(i, value(depth));
          default -> l.set(i, mutateTree(l.get(i), depth + 1));
        }
        return l;
      }
    }
    return value(depth);
  }

  private Object mutateMap(Map<Object, Object> m, List<Object> keys) {
    Object k = keys.get(rnd.nextInt(keys.size()));
    switch (rnd.nextInt(6)) {
      case 0 -> m.remove(k); // drop a key
      case 1 -> { // swap two values
        Object k2 = keys.get(rnd.nextInt(keys.size()));
        Object v = m.get(k);
        m.put(k, m.get(k2));
        m.put(k2, v);
      }
      case 2 -> { // corrupt a key: a typo, a hostile string, or another known field
        Object v = m.remove(k);
        m.put(rnd.nextBoolean() ? typo(String.valueOf(k)) : rnd.nextBoolean() ? pick(HOSTILE) : pick(KEYS), v);
      }
      case 3 -> m.put(pick(KEYS), value(2)); // an extra known key, anywhere
      case 4 -> m.put(rnd.nextInt(10) == 0 ? (Object) List.of("complex", "key") : rnd.nextInt(1000), "non-string key");
      default -> m.put(k, value(2)); // retype
    }
    return m;
  }

  /** A replacement value of any YAML type, hostile strings first among them. */
  private Object value(int depth) {
    return switch (rnd.nextInt(depth > 6 ? 8 : 12)) {
      case 0, 1, 2, 3 -> pick(HOSTILE);
      case 4 -> rnd.nextInt(3) == 0 ? Long.MAX_VALUE : rnd.nextInt();
      case 5 -> rnd.nextBoolean();
      case 6 -> null;
      case 7 -> rnd.nextInt(5) == 0 ? Double.NaN : rnd.nextDouble() * 1e300;
      case 8, 9 -> randomTree(depth + 1);
      default -> nest(rnd.nextInt(60));
    };
  }

  private Object randomTree(int depth) {
    if (depth > 5) {
      return pick(HOSTILE);
    }
    if (rnd.nextBoolean()) {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int i = rnd.nextInt(6); i >= 0; i--) {
        m.put(pick(KEYS), rnd.nextInt(3) == 0 ? randomTree(depth + 1) : pick(HOSTILE));
      }
      return m;
    }
    List<Object> l = new ArrayList<>();
    for (int i = rnd.nextInt(4); i >= 0; i--) {
      l.add(rnd.nextInt(3) == 0 ? randomTree(depth + 1) : pick(HOSTILE));
    }
    return l;
  }

  private Object nest(int levels) {
    Object v = pick(HOSTILE);
    for (int i = 0; i < levels; i++) {
      v = rnd.nextBoolean() ? List.of(v) : Map.of(pick(KEYS), v);
    }
    return v;
  }

  private String mutateText(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    if (lines.isEmpty()) {
      lines.add("");
    }
    int i = rnd.nextInt(lines.size());
    String line = lines.get(i);
    switch (rnd.nextInt(16)) {
      case 0 -> lines.set(i, line.replaceFirst("^ +", "\t")); // tabs for indentation
      case 1 -> lines.set(i, line.replace(": ", ":\t"));
      case 2 -> lines.add(i, line); // a duplicate key, or a duplicate list item
      case 3 -> lines.remove(i);
      case 4 -> { // swap two lines
        int j = rnd.nextInt(lines.size());
        lines.set(i, lines.get(j));
        lines.set(j, line);
      }
      case 5 -> { // tear the line
        int c = line.isEmpty() ? 0 : rnd.nextInt(line.length());
        lines.set(i, line.substring(0, c) + (rnd.nextBoolean() ? "" : pick(List.of("\"", "'", "[", "{", ":", "- ",
            "&", "*", "!", "|", ">", "%", "@", "`", "#", "?", ",", "]", "}", "\\", "\u0007"))) + line.substring(c));
      }
      case 6 -> lines.set(i, line.replaceFirst(": .*$", Matcher.quoteReplacement(": " + pick(TAGGED))));
      case 7 -> lines.set(i, line.replaceFirst(": (.*)$", ": &a" + rnd.nextInt(3) + " $1"));
      case 8 -> lines.set(i, line.replaceFirst(": .*$", ": *a" + rnd.nextInt(3)));
      case 9 -> lines.add(i, "<<: " + pick(List.of("*a0", "*nope", "[1, 2]", "x", "{apiVersion: x}", "[*a0, *a0]")));
      case 10 -> lines.add(rnd.nextBoolean() ? 0 : lines.size(), aliasBomb(2 + rnd.nextInt(9)));
      case 11 -> lines.add(rnd.nextInt(lines.size() + 1), "deep: " + "[".repeat(rnd.nextInt(200))
          + "]".repeat(rnd.nextInt(200)));
      case 12 -> lines.add(rnd.nextInt(lines.size() + 1), pick(List.of("---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:",
          "--- !!set", "? [a, b]\n: c", "? - x\n: y", "@", "\u0000", "\uFEFF", "key: value: other")));
      case 13 -> lines.set(i, line + " # " + pick(HOSTILE).replace("\n", " "));
      case 14 -> lines.set(i, line.replaceFirst(": .*$", Matcher.quoteReplacement(": \"" + pick(HOSTILE)
          .replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"")));
      default -> {
        if (rnd.nextInt(40) == 0) { // beyond the code point limit
          lines.add("pad: " + "x".repeat((1 << 20) + 10));
        } else {
          lines.set(i, " ".repeat(rnd.nextInt(9)) + line.strip());
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /** "Billion laughs": each level lists the previous one {@code width} times. */
  private static String aliasBomb(int levels) {
    StringBuilder y = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int l = 1; l < levels; l++) {
      y.append("l").append(l).append(": &l").append(l).append(" [");
      for (int w = 0; w < 9; w++) {
        y.append(w == 0 ? "" : ", ").append("*l").append(l - 1);
      }
      y.append("]\n");
    }
    return y.toString().stripTrailing();
  }

  private String typo(String k) {
    if (k.isEmpty()) {
      return "x";
    }
    int c = rnd.nextInt(k.length());
    return switch (rnd.nextInt(4)) {
      case 0 -> k.substring(0, c) + k.substring(c + 1);
      case 1 -> k.substring(0, c) + (char) ('a' + rnd.nextInt(26)) + k.substring(c);
      case 2 -> k.toUpperCase();
      default -> k + "s";
    };
  }

  private <T> T pick(List<T> l) {
    return l.get(rnd.nextInt(l.size()));
  }
}
