package io.brickyard.coordinator.spec;

import java.time.Duration;
import java.util.List;

/**
 * A volume's {@code snapshots} section: schedules the coordinator runs, and the thin pool guard.
 * {@code poolLimitPercent}: a scheduled snapshot is refused (and counted,
 * {@code brickyard_snapshot_refused_total}) when the thin pool of any of the volume's bricks is
 * already at or above this data usage: snapshots share the pool with the bricks, and a full thin
 * pool stops every write on every LV in it.
 */
public record SnapshotPolicy(int poolLimitPercent, List<Schedule> schedules) {
  public static final int DEFAULT_POOL_LIMIT = 80;

  public SnapshotPolicy {
    schedules = List.copyOf(schedules);
  }

  /**
   * One schedule: a snapshot every {@code every}, the newest {@code keep} of them kept. Its
   * snapshots are named {@code VOLUME_NAME_yyyyMMdd-HHmmss} (UTC); that exact form is the set the
   * schedule owns, and pruning never touches any other snapshot.
   */
  public record Schedule(String name, Duration every, int keep) {
    /** The shared naming and retention rule of this schedule's snapshots of {@code volume}. */
    public io.brickyard.common.snapshot.ScheduleSet set(String volume) {
      return new io.brickyard.common.snapshot.ScheduleSet(volume,
          new io.brickyard.common.snapshot.ScheduleSet.Schedule(name, every, keep));
    }
  }

  /** "30m", "1h", "1d": a whole number of minutes, hours or days, at least 5 minutes. */
  public static Duration interval(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]{0,4})([mhd])").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an interval: a whole number and m, h or d, e.g. 1h, 1d");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.compareTo(Duration.ofMinutes(5)) < 0) {
      throw new IllegalArgumentException("'" + text + "' is shorter than 5m (each snapshot briefly barriers the volume's"
          + " writes)");
    }
    return d;
  }

  /** The shortest text {@link #interval} reads back as {@code d}. */
  public static String text(Duration d) {
    if (d.toMinutes() % (24 * 60) == 0) {
      return d.toDays() + "d";
    }
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }
}
