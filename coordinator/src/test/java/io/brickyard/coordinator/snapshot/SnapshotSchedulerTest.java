package io.brickyard.coordinator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedules driven by a test clock: when snapshots are taken, what is pruned, the thin pool guard. */
class SnapshotSchedulerTest {
  static final String SPEC = """
      apiVersion: brickyard/v1
      kind: Cluster
      metadata: {name: t}
      nodes:
        - name: gluster1
      storage:
        defaults:
          - volumeGroup: data
            devices: [/dev/sda]
            thinVolumes:
              - {name: vol1, virtualSize: 1G, mountPoint: /gluster/vol1/brick1}
      volumes:
        - name: vol1
          type: distribute
          bricks: [gluster1:/gluster/vol1/brick1/brick]
          snapshots:
            poolLimitPercent: 80
            schedules:
              - {name: hourly, every: 1h, keep: 3}
              - {name: daily, every: 1d, keep: 2}
      """;
  @TempDir Path dir;
  final InProcessAgents agents = new InProcessAgents("sched-");
  final FakeSnapshotAgent agent = new FakeSnapshotAgent();
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:30Z"));
  Journal journal;
  SnapshotScheduler scheduler;
  ClusterLock lock = new ClusterLock();

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    agents.add("gluster1", agent);
    journal = new Journal(dir);
    scheduler = new SnapshotScheduler(agents.clients(), journal, lock, Duration.ofSeconds(10), clock, metrics);
    ClusterSpec spec = SpecParser.parse(SPEC, "t.yaml");
    scheduler.applied(spec);
  }

  @AfterEach
  void tearDown() throws Exception {
    agents.close();
  }

  private double refused(String reason) {
    return metrics.get(SnapshotScheduler.REFUSED).tags("volume", "vol1", "reason", reason).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  @Test
  void twoDaysOfTicksKeepTheNewestOfEachScheduleAndNeverTouchOtherSnapshots() throws Exception {
    agent.snapshots.put("before-upgrade", "vol1");
    agent.snapshots.put("vol1_hourly_20261130-120000_GMT-2026.11.30-12.00.00", "vol1"); // looks alike, is not ours
    agent.snapshots.put("vol2_hourly_20261130-120000", "vol2");
    for (int minute = 0; minute < 2 * 24 * 60; minute++) {
      scheduler.tick();
      clock.advance(Duration.ofMinutes(1));
    }
    List<String> hourly = agent.snapshots.keySet().stream().filter(n -> n.startsWith("vol1_hourly_2") && n.length() == 27).sorted()
        .toList();
    assertThat(hourly).containsExactly("vol1_hourly_20261202-210030", "vol1_hourly_20261202-220030", "vol1_hourly_20261202-230030");
    assertThat(agent.snapshots.keySet().stream().filter(n -> n.startsWith("vol1_daily_")).sorted().toList())
        .containsExactly("vol1_daily_20261201-000030", "vol1_daily_20261202-000030");
    assertThat(agent.snapshots).containsKeys("before-upgrade", "vol1_hourly_20261130-120000_GMT-2026.11.30-12.00.00",
        "vol2_hourly_20261130-120000");
    // 48 hourly + 2 daily made; 45 hourly pruned, the dailies within keep
    assertThat(agent.calls.stream().filter(c -> c.startsWith("create")).count()).isEqualTo(50);
    assertThat(agent.calls.stream().filter(c -> c.startsWith("delete")).collect(Collectors.toList())).hasSize(45)
        .allMatch(c -> c.startsWith("delete vol1_hourly_"));
    assertThat(metrics.get(SnapshotScheduler.CREATED).tag("schedule", "hourly").counter().count()).isEqualTo(48);
    assertThat(metrics.get(SnapshotScheduler.PRUNED).tag("schedule", "hourly").counter().count()).isEqualTo(45);
    List<JournalEntry> history = journal.list(0);
    assertThat(history).isNotEmpty().allMatch(e -> e.getKind().equals(Journal.KIND_SNAPSHOT));
  }

  @Test
  void aRestartedCoordinatorGoesOnWithTheAppliedSchedules() throws Exception {
    Path file = dir.resolve("snapshot-schedules.yaml");
    SnapshotScheduler first = new SnapshotScheduler(agents.clients(), journal, lock, Duration.ofSeconds(10), clock, metrics)
        .persistIn(file);
    assertThat(first.tick().lines()).isEmpty(); // nothing applied yet
    first.applied(SpecParser.parse(SPEC, "t.yaml"));
    SnapshotScheduler restarted = new SnapshotScheduler(agents.clients(), journal, lock, Duration.ofSeconds(10), clock,
        new SimpleMeterRegistry()).persistIn(file);
    assertThat(restarted.tick().lines()).containsExactly("vol1/hourly created vol1_hourly_20261201-000030",
        "vol1/daily created vol1_daily_20261201-000030");
    java.nio.file.Files.writeString(file, "not: [a spec");
    assertThat(new SnapshotScheduler(agents.clients(), journal, lock, Duration.ofSeconds(10), clock,
        new SimpleMeterRegistry()).persistIn(file).tick().lines()).isEmpty();
  }

  @Test
  void aPoolAtTheLimitRefusesTheSnapshotAndCountsIt() {
    agent.poolPercent = 80.0;
    SnapshotScheduler.Report r = scheduler.tick();
    assertThat(agent.snapshots).isEmpty();
    assertThat(r.lines()).anyMatch(l -> l.startsWith("vol1/hourly refused: pool data/thinpool of brick node:/gluster/vol1 on"
        + " gluster1 is 80.0% full, at or above poolLimitPercent 80"));
    assertThat(refused("pool_limit")).isEqualTo(2); // hourly and daily
    agent.poolPercent = 79.9;
    scheduler.tick();
    assertThat(agent.snapshots).hasSize(2);
    assertThat(refused("pool_limit")).isEqualTo(2);
  }

  @Test
  void aBrickNotOnAThinLvRefusesWithTheAgentsReason() {
    agent.brickProblem = "brick gluster1:/gluster/vol1/brick1/brick is on LV data/thick (lv_attr -wi-ao----), a thick LV";
    SnapshotScheduler.Report r = scheduler.tick();
    assertThat(agent.snapshots).isEmpty();
    assertThat(r.lines()).anyMatch(l -> l.contains("refused: not thin: brick gluster1:/gluster/vol1/brick1/brick is on LV data/thick"));
    assertThat(refused("not_thin")).isEqualTo(2);
  }

  @Test
  void aTickWhileTheClusterLockIsHeldDoesNothing() {
    assertThat(lock.tryLock("apply")).isTrue();
    try {
      assertThat(scheduler.tick().lines()).containsExactly("skipped: apply holds the cluster lock");
      assertThat(agent.calls).isEmpty();
    } finally {
      lock.unlock();
    }
  }

  @Test
  void anUnreachableNodeIsCountedNotFatal() throws Exception {
    agents.close();
    SnapshotScheduler.Report r = scheduler.tick();
    assertThat(r.lines()).hasSize(2).allMatch(l -> l.contains("refused: no node of vol1 answers"));
    assertThat(refused("unreachable")).isEqualTo(2);
  }
}
