package io.brickyard.agent.nfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Process start times at centisecond precision (restart_required compares them with a file's mtime). */
class ProcessStartTest {
  @Test
  void startTimeFromStatAndUptime() {
    // a comm with a space and a ')' in it, as the kernel prints it; starttime (field 22) = 66727 ticks
    String stat = "19764 (ca t)) R 19720 19720 5356 0 -1 4194304 128 0 0 0 0 0 0 0 20 0 1 0 66727 3133440 418 0\n";
    Instant now = Instant.parse("2026-12-01T14:00:00Z");
    Instant start = ProcessStart.startInstant(stat, "1000.50 1900.00\n", now);
    // booted 1000.5 s ago, started 667.27 s after boot
    assertThat(start).isEqualTo(now.minus(Duration.ofMillis(1000_500)).plus(Duration.ofMillis(667_270)));
  }

  @Test
  void thisJvmStartedInThePastAndNotLongAgo() {
    Instant start = ProcessStart.of((int) ProcessHandle.current().pid(), Path.of("/proc")).orElseThrow();
    Instant jvm = ProcessHandle.current().info().startInstant().orElseThrow();
    assertThat(start).isBefore(Instant.now());
    // Java's own value is whole-second precise at best: within 2 s of ours
    assertThat(Duration.between(jvm, start).abs()).isLessThan(Duration.ofSeconds(2));
  }
}
