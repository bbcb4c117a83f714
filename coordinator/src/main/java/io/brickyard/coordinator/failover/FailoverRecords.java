package io.brickyard.coordinator.failover;

import io.brickyard.api.coordinator.v1.Failover;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.coordinator.apply.Journal;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each assignment of the leader ends: its timeline as a journal record of kind {@code failover}
 * ({@code history} lists it), a log line, and (when it succeeded) the failover counter and duration.
 * Only the leader's single decision thread calls it.
 */
final class FailoverRecords {
  private static final Logger log = LoggerFactory.getLogger(FailoverLeader.class);

  private final Journal journal;
  private final FailoverMetrics metrics;
  private long lastIdMs;

  FailoverRecords(Journal journal, FailoverMetrics metrics) {
    this.journal = journal;
    this.metrics = metrics;
  }

  /** Completes {@code f} (its elapsed time: detected to the address added, or to grace 5, or to now) and records it. */
  void record(Failover.Builder f) {
    long end = f.getArpMs() != 0 ? f.getArpMs() : f.getGraceMs() != 0 ? f.getGraceMs() : System.currentTimeMillis();
    f.setElapsedMillis(Math.max(0, end - f.getDetectedMs()));
    Failover done = f.build();
    boolean ok = done.getError().isEmpty();
    if (ok) {
      metrics.failover(done.getReason(), Duration.ofMillis(done.getElapsedMillis()));
    }
    log.info("failover {} {} -> {} ({}): {} ms{}", done.getAddress(), done.getFromNode(), done.getToNode(),
        done.getReason(), done.getElapsedMillis(), ok ? "" : ", failed: " + done.getError());
    // ids are milliseconds: two assignments in one millisecond must not share a file
    long idMs = Math.max(System.currentTimeMillis(), lastIdMs + 1);
    lastIdMs = idMs;
    JournalEntry e = JournalEntry.newBuilder().setId(Journal.id(Instant.ofEpochMilli(idMs))).setKind(Journal.KIND_FAILOVER)
        .setStartedEpochMillis(done.getDetectedMs()).setElapsedMillis(done.getElapsedMillis())
        .setSuccess(ok).setChanged(ok ? 1 : 0).setFailed(ok ? 0 : 1).setError(done.getError())
        .setSummary(done.getAddress() + " " + (done.getFromNode().isEmpty() ? "-" : done.getFromNode()) + " -> "
            + done.getToNode() + " (" + done.getReason() + ")").build();
    try {
      journal.write(JournalRecord.newBuilder().setEntry(e).setFailover(done).build());
    } catch (java.io.IOException ex) {
      log.error("cannot journal the failover of {}: {}", done.getAddress(), ex.getMessage());
    }
  }
}
