package io.brickyard.agent.storage;

import io.brickyard.common.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Space and inodes of mounted filesystems, from {@code df -B1 --output=size,used,avail,itotal,
 * iused,iavail,target -- MOUNTPOINT...}: one statfs per filesystem in one short process.
 *
 * <p>Why df and not Java's FileStore: FileStore gives no inode counts, and a brick that runs out of
 * inodes stops taking files as surely as a full one. Why the target last: it is the only column
 * that may contain spaces, so splitting the other six off the front is unambiguous. The caller
 * passes only paths it knows are mount points (findmnt): given any other path, df reports the
 * filesystem that contains it, which would be another filesystem's numbers under the brick's name.
 * The timeout is short because a scrape waits for it.
 */
public final class FsUsage {
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** One filesystem: sizes in bytes as df reports them (avail is what unprivileged writers get). */
  public record Usage(String target, long size, long used, long avail, long inodes, long inodesUsed, long inodesFree) {}

  private FsUsage() {}

  public static Command of(List<String> mountPoints) {
    List<String> argv = new ArrayList<>(List.of("df", "-B1", "--output=size,used,avail,itotal,iused,iavail,target", "--"));
    argv.addAll(mountPoints);
    return Command.of(argv).withTimeout(TIMEOUT);
  }

  /** Mount point to usage; the header line and lines that do not have seven columns are skipped. */
  public static Map<String, Usage> parse(String out) {
    Map<String, Usage> byTarget = new LinkedHashMap<>();
    String[] lines = out.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].strip().split("\\s+", 7);
      if (f.length < 7) {
        continue;
      }
      try {
        Usage u = new Usage(f[6], num(f[0]), num(f[1]), num(f[2]), num(f[3]), num(f[4]), num(f[5]));
        byTarget.put(u.target(), u);
      } catch (NumberFormatException e) {
        // a line that is not a filesystem row: skipped rather than misread
      }
    }
    return byTarget;
  }

  /** df prints "-" for a count the filesystem does not keep (inodes on some filesystems). */
  private static long num(String s) {
    return s.equals("-") ? -1 : Long.parseLong(s);
  }
}
