package io.brickyard.common.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.common.snapshot.ScheduleSet.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which snapshots a schedule owns, when it is due, and what pruning deletes. */
class ScheduleSetTest {
  static final Instant T0 = Instant.parse("2026-12-01T19:00:00Z");
  final ScheduleSet hourly = new ScheduleSet("vol1", new Schedule("hourly", Duration.ofHours(1), 3));

  @Test
  void namesCarryVolumeScheduleAndUtcTime() {
    assertThat(hourly.name(T0)).isEqualTo("vol1_hourly_20261201-190000");
    assertThat(hourly.takenAt("vol1_hourly_20261201-190000")).contains(T0);
  }

  @Test
  void onlyTheExactFormOfThisVolumeAndScheduleIsOwned() {
    for (String other : List.of("vol1_hourly_20261201-19000", "vol1_hourly_20261201-190000x", "xvol1_hourly_20261201-190000",
        "vol1_daily_20261201-190000", "vol1_hourly_x_20261201-190000", "vol1_hourly_20261399-190000", "vol1-hourly-20261201-190000",
        "vol1_hourly_20261201-190000_GMT-2026.12.01-19.00.00", "manual", "vol1")) {
      assertThat(hourly.takenAt(other)).as(other).isEmpty();
    }
    // the name's form, but the snapshot is of another volume: not ours either
    assertThat(hourly.owned(Map.of("vol1_hourly_20261201-190000", "vol2"))).isEmpty();
  }

  @Test
  void dueWhenNoneOrTheNewestIsAnIntervalOld() {
    Map<String, String> snaps = new LinkedHashMap<>();
    assertThat(hourly.due(snaps, T0)).isTrue();
    snaps.put(hourly.name(T0), "vol1");
    assertThat(hourly.due(snaps, T0.plusSeconds(3599))).isFalse();
    assertThat(hourly.due(snaps, T0.plusSeconds(3600))).isTrue();
    // a snapshot made by hand with another name does not count
    snaps.put("before-upgrade", "vol1");
    assertThat(hourly.due(snaps, T0.plusSeconds(3600))).isTrue();
    // clock stepped back: the newest is in the future, not due (no burst)
    assertThat(hourly.due(snaps, T0.minusSeconds(60))).isFalse();
  }

  @Test
  void pruneDeletesTheOldestOwnedBeyondKeep() {
    Map<String, String> snaps = new LinkedHashMap<>();
    for (int h = 0; h < 5; h++) {
      snaps.put(hourly.name(T0.plus(Duration.ofHours(h))), "vol1");
    }
    snaps.put("manual-1", "vol1");
    snaps.put("vol1_daily_20261201-190000", "vol1");
    assertThat(hourly.prune(snaps)).containsExactly("vol1_hourly_20261201-190000", "vol1_hourly_20261201-200000");
  }

  /**
   * Property, 2000 random cases (seeded, so a failure repeats): whatever mix of this schedule's,
   * other schedules', other volumes' and hand-made snapshots exists, prune deletes only this
   * schedule's own, keeps exactly min(keep, owned) of them, and those are the newest.
   */
  @Test
  void pruneNeverDeletesOutsideTheSchedulesOwnSet() {
    Random rnd = new Random(13);
    String[] volumes = {"vol1", "vol1_hourly", "vol", "v"};
    String[] schedules = {"hourly", "daily", "hourly1", "h"};
    for (int round = 0; round < 2000; round++) {
      int keep = 1 + rnd.nextInt(6);
      String vol = volumes[rnd.nextInt(volumes.length)];
      ScheduleSet set = new ScheduleSet(vol, new Schedule(schedules[rnd.nextInt(schedules.length)], Duration.ofHours(1), keep));
      Map<String, String> snaps = new LinkedHashMap<>();
      Set<String> mine = new HashSet<>();
      int n = rnd.nextInt(20);
      for (int i = 0; i < n; i++) {
        Instant t = T0.plusSeconds(rnd.nextInt(1_000_000));
        String v = volumes[rnd.nextInt(volumes.length)];
        String s = schedules[rnd.nextInt(schedules.length)];
        String name = switch (rnd.nextInt(4)) {
          case 0 -> new ScheduleSet(v, new Schedule(s, Duration.ofHours(1), 1)).name(t);
          case 1 -> v + "_" + s + "_" + ScheduleSet.STAMP.format(t) + "_GMT-2026.12.01-19.00.00";
          case 2 -> "manual" + i;
          default -> set.name(t);
        };
        String origin = rnd.nextInt(5) == 0 ? volumes[rnd.nextInt(volumes.length)] : v;
        if (name.startsWith(set.prefix()) && name.equals(set.name(t))) {
          origin = rnd.nextInt(5) == 0 ? "other" : vol;
        }
        snaps.put(name, origin);
      }
      snaps.forEach((name, origin) -> {
        if (origin.equals(vol) && set.takenAt(name).isPresent()) {
          mine.add(name);
        }
      });
      List<String> deleted = set.prune(snaps);
      assertThat(mine).as("round %d: deleted %s of %s", round, deleted, snaps).containsAll(deleted);
      List<String> kept = new ArrayList<>(mine);
      kept.removeAll(deleted);
      assertThat(kept).hasSize(Math.min(keep, mine.size()));
      for (String d : deleted) {
        for (String k : kept) {
          assertThat(set.takenAt(d).orElseThrow()).isBefore(set.takenAt(k).orElseThrow());
        }
      }
    }
  }
}
