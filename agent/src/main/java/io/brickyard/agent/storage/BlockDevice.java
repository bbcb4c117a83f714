package io.brickyard.agent.storage;

import io.brickyard.agent.inventory.DeviceNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Facts about one block device node read straight from the kernel: its major:minor (from the
 * node's rdev, so symlinks such as /dev/data/vol1 and a lab host's private /dev/sdb resolve to
 * the real device) and its holders in sysfs (device-mapper, md: something is using it).
 */
final class BlockDevice {
  private BlockDevice() {}

  /** "7:3" when {@code path} is (or links to) a block device node; null otherwise. */
  static String majMin(Path path) {
    return DeviceNodes.majMin(path);
  }

  /** Names in /sys/dev/block/MAJ:MIN/holders; unreadable counts as held (never guess "free"). */
  static List<String> holders(String majMin) {
    try {
      return DeviceNodes.holders(Path.of("/sys/dev/block", majMin));
    } catch (IOException e) {
      return List.of("(holders unreadable: " + e.getMessage() + ")");
    }
  }
}
