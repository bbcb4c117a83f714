package io.brickyard.agent.nfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a process started, to about 10 ms. Java's {@code ProcessHandle.Info.startInstant()} adds
 * the tick count to /proc/stat's boot time, which has whole-second precision: a ganesha started
 * right after its config file was written could then look older than the file. Here the boot
 * instant comes from /proc/uptime (centiseconds) instead: now - uptime + starttime / USER_HZ.
 */
final class ProcessStart {
  /** USER_HZ, the unit of /proc/PID/stat's starttime: 100 on every Linux architecture brickyard runs on. */
  static final int USER_HZ = 100;

  private ProcessStart() {}

  static Optional<Instant> of(int pid, Path proc) {
    try {
      String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
      String uptime = Files.readString(proc.resolve("uptime"));
      return Optional.of(startInstant(stat, uptime, Instant.now()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** stat: "PID (comm) S ppid ..." (comm may hold spaces and ')'); starttime is field 22. */
  static Instant startInstant(String stat, String uptime, Instant now) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(f[22 - 3]);
    double up = Double.parseDouble(uptime.trim().split("\\s+")[0]);
    Instant boot = now.minus(Duration.ofNanos((long) (up * 1e9)));
    return boot.plus(Duration.ofMillis(ticks * 1000 / USER_HZ));
  }
}
