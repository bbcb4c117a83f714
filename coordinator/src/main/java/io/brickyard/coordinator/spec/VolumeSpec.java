package io.brickyard.coordinator.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gluster volume. Counts are 0 when they do not apply to the type. Bricks are in gluster's
 * order: consecutive groups of {@link #setSize()} bricks form one replica or disperse set.
 */
public record VolumeSpec(String name, VolumeType type, int replica, int arbiter, int disperse,
    int redundancy, String transport, List<Brick> bricks, Map<String, String> options,
    boolean allowSameNodeReplicas, java.util.Optional<SnapshotPolicy> snapshots) {
  public static final String DEFAULT_TRANSPORT = "tcp";

  /** Without snapshot schedules. */
  public VolumeSpec(String name, VolumeType type, int replica, int arbiter, int disperse, int redundancy,
      String transport, List<Brick> bricks, Map<String, String> options, boolean allowSameNodeReplicas) {
    this(name, type, replica, arbiter, disperse, redundancy, transport, bricks, options, allowSameNodeReplicas,
        java.util.Optional.empty());
  }

  public VolumeSpec {
    bricks = List.copyOf(bricks);
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** Bricks per replica/disperse set; 1 for a pure distribute volume. */
  public int setSize() {
    if (type.dispersed()) {
      return disperse;
    }
    return type.replicated() ? replica : 1;
  }

  /** The replica/disperse sets (subvolumes), each a list of brick indexes. */
  public List<List<Integer>> sets() {
    int n = setSize();
    List<List<Integer>> out = new ArrayList<>();
    if (n <= 0) {
      return out;
    }
    for (int start = 0; start + n <= bricks.size(); start += n) {
      List<Integer> set = new ArrayList<>();
      for (int i = start; i < start + n; i++) {
        set.add(i);
      }
      out.add(set);
    }
    return out;
  }
}
