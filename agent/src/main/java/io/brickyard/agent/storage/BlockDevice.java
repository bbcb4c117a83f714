package io.brickyard.agent.storage;

import io.brickyard.agent.inventory.Lsblk;
import io.brickyard.common.exec.Command;
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

  /** lsblk for just this device and its children (partitions, holders). */
  static Command lsblk(String device) {
    List<String> argv = new ArrayList<>(Lsblk.COMMAND.argv());
    argv.add(device);
    return Command.of(argv);
  }

  /** "7:3" when {@code path} is (or links to) a block device node; null otherwise. */
  static String majMin(Path path) {
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

  /** Names in /sys/dev/block/MAJ:MIN/holders. */
  static List<String> holders(String majMin) {
    Path h = Path.of("/sys/dev/block", majMin, "holders");
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(h)) {
      return out;
    }
    try (Stream<Path> s = Files.list(h)) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      // unreadable: lsblk's children still show dm/md users
    }
    return out;
  }
}
