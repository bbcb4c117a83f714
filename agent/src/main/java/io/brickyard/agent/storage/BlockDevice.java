package io.brickyard.agent.storage;

import io.brickyard.agent.inventory.DeviceNodes;
import java.nio.file.Path;

/**
 * Facts about one block device node read straight from the kernel: its major:minor (from the
 * node's rdev, so symlinks such as /dev/data/vol1 and a lab host's private /dev/sdb resolve to
 * the real device). What is on and above the device is read by
 * {@link io.brickyard.agent.inventory.DeviceInspection}.
 */
final class BlockDevice {
  private BlockDevice() {}

  /** "7:3" when {@code path} is (or links to) a block device node; null otherwise. */
  static String majMin(Path path) {
    return DeviceNodes.majMin(path);
  }
}
