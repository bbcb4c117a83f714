package io.brickyard.agent.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Kernel facts about a block device node, read without running a program: its major:minor (from
 * the node's rdev, so /dev/data/vol1 symlinks and a lab host's private /dev/sdb resolve to the real
 * device) and its sysfs holders (device-mapper or md built on it: the device is in use). Shared by
 * inventory, storage and LVM, which all must refuse a device that something else uses.
 */
public final class DeviceNodes {
  private DeviceNodes() {}

  /** "8:16" when {@code path} is (or links to) a block device node; null otherwise. */
  public static String majMin(Path path) {
    try {
      Map<String, Object> a = Files.readAttributes(path, "unix:mode,rdev");
      int mode = (Integer) a.get("mode");
      if ((mode & 0170000) != 0060000) {
        return null;
      }
      long rdev = (Long) a.get("rdev");
      long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
      long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
      return major + ":" + minor;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Names in {@code <sysfs device dir>/holders}, sorted; empty when the directory does not exist.
   * The directory is {@code /sys/block/<kname>} or {@code /sys/dev/block/<maj:min>}.
   *
   * @throws IOException when it exists but cannot be read: callers deciding safety must not guess
   */
  public static List<String> holders(Path sysDeviceDir) throws IOException {
    Path dir = sysDeviceDir.resolve("holders");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
