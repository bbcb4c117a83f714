package io.brickyard.cli.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a running lab consists of, so that {@code lab down} and {@code lab status} know exactly which
 * processes and loop devices are ours. Written after every step of {@code up}, so a crash half way
 * still leaves a record; {@code down} also sweeps by name for anything the record missed.
 */
final class LabState {
  final Properties p = new Properties();
  private final Path file;

  LabState(Path file) {
    this.file = file;
  }

  static LabState load(Path file) {
    LabState s = new LabState(file);
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        s.p.load(r);
      } catch (IOException e) {
        // a torn state file: down still sweeps by name
      }
    }
    return s;
  }

  boolean exists() {
    return Files.exists(file);
  }

  void put(String k, String v) {
    p.setProperty(k, v);
    save();
  }

  String get(String k) {
    return p.getProperty(k);
  }

  void addTo(String k, String v) {
    String cur = p.getProperty(k, "");
    put(k, cur.isEmpty() ? v : cur + "," + v);
  }

  List<String> list(String k) {
    String v = p.getProperty(k, "");
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file)) {
        p.store(w, "brickyard lab state");
      }
    } catch (IOException e) {
      throw new LabException("cannot write lab state " + file + ": " + e.getMessage());
    }
  }
}
