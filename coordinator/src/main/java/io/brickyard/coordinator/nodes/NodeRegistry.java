package io.brickyard.coordinator.nodes;

import io.brickyard.common.fs.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * Reads {@code file} (null: in memory only), after removing the temp files a crash mid-write left
   * beside it.
   */
  public NodeRegistry(Path file) throws IOException {
    this.file = file;
    if (file != null) {
      String name = file.getFileName().toString();
      // "nodes.conf.tmp" is the temp name of versions before DurableFiles
      DurableFiles.removeTemps(file.toAbsolutePath().getParent(), "{" + name + ".tmp," + DurableFiles.tempsOf(name) + "}");
    }
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

  /**
   * Adds or updates nodes and persists the file durably (see {@link DurableFiles}). All or
   * nothing: when the file cannot be written, the nodes in memory stay as they were, so what
   * {@code brickyard nodes} lists is always what the file holds.
   *
   * @throws IOException naming the file and the reason (a full disk, a path that is not a directory)
   */
  public synchronized void putAll(Collection<NodeAddress> update) throws IOException {
    Map<String, NodeAddress> next = new LinkedHashMap<>(nodes);
    for (NodeAddress a : update) {
      next.put(a.name(), a);
    }
    if (file != null) {
      StringBuilder sb = new StringBuilder("# brickyard coordinator nodes: NAME HOST:PORT\n");
      for (NodeAddress a : next.values()) {
        sb.append(a.name()).append(' ').append(a.address()).append('\n');
      }
      DurableFiles.replace(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    nodes.clear();
    nodes.putAll(next);
  }

  /** Where the list is kept (null: in memory only). */
  public Path file() {
    return file;
  }
}
