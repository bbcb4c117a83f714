package io.brickyard.agent.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a whole device may be given to Brickyard, and if not, every reason why (like
 * {@code ceph orch device ls}). Pure, so that each rule is unit-tested.
 */
public final class DeviceRules {
  public static final long DEFAULT_MIN_SIZE = 1L << 30;

  private DeviceRules() {}

  public static List<String> rejections(Lsblk.Node dev, List<String> signatures, List<String> holders, long minSize) {
    List<String> why = new ArrayList<>();
    boolean partitions = dev.children().stream().anyMatch(c -> "part".equals(c.type()));
    if (partitions) {
      why.add("has partitions");
    }
    if (!signatures.isEmpty()) {
      why.add("has signature " + String.join(", ", signatures));
    }
    if (!dev.mountpoints().isEmpty()) {
      why.add("mounted at " + String.join(", ", dev.mountpoints()));
    } else if (dev.mountedAnywhere()) {
      why.add("a partition or holder is mounted");
    }
    if (!holders.isEmpty()) {
      why.add("in use by " + String.join(", ", holders));
    } else if (dev.children().stream().anyMatch(c -> !"part".equals(c.type()))) {
      why.add("in use by " + dev.children().stream().filter(c -> !"part".equals(c.type()))
          .map(Lsblk.Node::name).toList());
    }
    if (dev.readOnly()) {
      why.add("read-only");
    }
    long min = minSize > 0 ? minSize : DEFAULT_MIN_SIZE;
    if (dev.size() < min) {
      why.add("too small (" + dev.size() + " bytes < " + min + ")");
    }
    return why;
  }
}
