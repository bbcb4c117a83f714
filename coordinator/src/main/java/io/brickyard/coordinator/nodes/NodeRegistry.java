package io.brickyard.coordinator.nodes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which nodes exist and where their agents listen: a plain text file, one node per line
 * ({@code NAME HOST:PORT}, '#' comments). This is configuration, not cluster state: the state of
 * each node is always read from its agent. An applied spec updates the file with its nodes.
 */
public final class NodeRegistry {
  private final Path file;
  private final Map<String, NodeAddress> nodes = new LinkedHashMap<>();

  public NodeRegistry(Path file) throws IOException {
    this.file = file;
    if (file != null && Files.exists(file)) {
      int n = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        n++;
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split("\\s+");
        if (f.length != 2) {
          throw new IOException(file + ":" + n + ": expected 'NAME HOST:PORT', got '" + l + "'");
        }
        nodes.put(f[0], NodeAddress.parse(f[0], f[1]));
      }
    }
  }

  public synchronized List<NodeAddress> all() {
    return new ArrayList<>(nodes.values());
  }

  public synchronized NodeAddress get(String name) {
    return nodes.get(name);
  }

  /** Adds or updates nodes and persists the file atomically. */
  public synchronized void putAll(Collection<NodeAddress> update) throws IOException {
    for (NodeAddress a : update) {
      nodes.put(a.name(), a);
    }
    if (file == null) {
      return;
    }
    StringBuilder sb = new StringBuilder("# brickyard coordinator nodes: NAME HOST:PORT\n");
    for (NodeAddress a : nodes.values()) {
      sb.append(a.name()).append(' ').append(a.address()).append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
