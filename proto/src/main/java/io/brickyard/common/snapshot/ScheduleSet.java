package io.brickyard.common.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snapshots one schedule owns and what to do with them. A schedule's snapshot of volume V is
 * named {@code V_SCHEDULE_yyyyMMdd-HHmmss} (UTC, the coordinator's clock when it was made); a
 * name is the schedule's only if it is exactly that form for this volume and schedule, and the
 * snapshot's origin volume is V. Schedule names have no '_' (spec rule), so no two schedules,
 * of this volume or another, can own the same name: pruning a schedule never deletes a snapshot
 * someone made by hand, or another schedule's. Shared by the coordinator's scheduler and the VM
 * tier, which prunes real gluster snapshots with it under a test clock.
 */
public final class ScheduleSet {
  /** One schedule: its name (no '_'), interval and how many of its snapshots are kept. */
  public record Schedule(String name, Duration every, int keep) {}

  public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern STAMP_TEXT = Pattern.compile("(\\d{8}-\\d{6})");

  private final String volume;
  private final Schedule schedule;
  private final Pattern owned;

  public ScheduleSet(String volume, Schedule schedule) {
    this.volume = volume;
    this.schedule = schedule;
    this.owned = Pattern.compile(Pattern.quote(prefix()) + STAMP_TEXT.pattern());
  }

  public String prefix() {
    return volume + "_" + schedule.name() + "_";
  }

  /** The name of this schedule's snapshot taken at {@code at} (seconds precision). */
  public String name(Instant at) {
    return prefix() + STAMP.format(at);
  }

  /** When an owned snapshot was taken; empty for any name this schedule does not own. */
  public Optional<Instant> takenAt(String snapshotName) {
    Matcher m = owned.matcher(snapshotName);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(m.group(1), STAMP).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return Optional.empty(); // 20261399-..: the form, but no time: not ours
    }
  }

  /** The owned snapshots among {@code snapshots} (name -> origin volume), newest first. */
  public List<String> owned(Map<String, String> snapshots) {
    Map<Instant, String> byTime = new TreeMap<>(Comparator.reverseOrder());
    snapshots.forEach((name, origin) -> {
      if (origin.equals(volume)) {
        takenAt(name).ifPresent(t -> byTime.put(t, name));
      }
    });
    return new ArrayList<>(byTime.values());
  }

  /**
   * Due when this schedule has no snapshot yet, or its newest is at least {@code every} old. A
   * snapshot named in the future (clock stepped back) makes it not due until that time passes
   * plus {@code every}: never a burst of snapshots.
   */
  public boolean due(Map<String, String> snapshots, Instant now) {
    List<String> mine = owned(snapshots);
    if (mine.isEmpty()) {
      return true;
    }
    Instant newest = takenAt(mine.get(0)).orElseThrow();
    return !Duration.between(newest, now).minus(schedule.every()).isNegative();
  }

  /** What to delete so that only the newest {@code keep} owned snapshots remain: oldest first. */
  public List<String> prune(Map<String, String> snapshots) {
    List<String> mine = owned(snapshots);
    if (mine.size() <= schedule.keep()) {
      return List.of();
    }
    List<String> old = new ArrayList<>(mine.subList(schedule.keep(), mine.size()));
    java.util.Collections.reverse(old);
    return old;
  }

  public Schedule schedule() {
    return schedule;
  }

  public String volume() {
    return volume;
  }
}
