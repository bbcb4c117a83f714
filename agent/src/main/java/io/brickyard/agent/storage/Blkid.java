package io.brickyard.agent.storage;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code blkid -p -o export DEVICE}: what is on a device, read from the device itself.
 *
 * <p>{@code -p} (low-level probe) rather than the blkid cache or lsblk's FSTYPE, because lab
 * hosts in namespaces have no udev: the cache and udev database there are empty or stale, while
 * probing the superblock is always the truth. Exit code 2 means "nothing found".
 */
public final class Blkid {
  private Blkid() {}

  /** What the probe found; {@code type} is "" when there is no filesystem. */
  public record Probe(String type, String uuid, String label, String partitionTable, String usage) {
    public static final Probe NOTHING = new Probe("", "", "", "", "");

    public boolean empty() {
      return type.isEmpty() && partitionTable.isEmpty();
    }
  }

  public static Command probe(String device) {
    return Command.of("blkid", "-p", "-o", "export", device);
  }

  /** Interprets a finished probe: exit 0 = parse, exit 2 = nothing on the device, else fail. */
  public static Probe result(CommandResult r) {
    if (r.exitCode() == 2 && !r.timedOut()) {
      return Probe.NOTHING;
    }
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return parse(r.stdout());
  }

  /** KEY=value lines; values are shell-escaped by blkid, which we undo for backslashes. */
  public static Probe parse(String export) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : export.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
      }
    }
    return new Probe(kv.getOrDefault("TYPE", ""), kv.getOrDefault("UUID", ""),
        kv.getOrDefault("LABEL", ""), kv.getOrDefault("PTTYPE", ""), kv.getOrDefault("USAGE", ""));
  }

  private static String unquote(String v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        sb.append(v.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
