package io.brickyard.coordinator.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage for all nodes ({@code defaults}) and per-node replacements ({@code nodes}). An override
 * REPLACES the defaults for that node entirely (no merging), so what a node gets can be read
 * off one list.
 */
public record StorageSpec(List<StorageEntry> defaults, Map<String, List<StorageEntry>> nodes) {
  public static final StorageSpec EMPTY = new StorageSpec(List.of(), Map.of());

  public StorageSpec {
    defaults = List.copyOf(defaults);
    Map<String, List<StorageEntry>> copy = new LinkedHashMap<>();
    nodes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    nodes = Collections.unmodifiableMap(copy);
  }

  /** The effective storage entries of one node. */
  public List<StorageEntry> forNode(String node) {
    return nodes.getOrDefault(node, defaults);
  }
}
