package io.brickyard.coordinator.day2;

import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.spec.ClusterSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Journals a day-2 command like an apply (its step events), with its kind and a one-line summary for history. */
final class Day2Journal {
  private static final Logger log = LoggerFactory.getLogger(Day2Journal.class);
  private final Journal journal;

  Day2Journal(Journal journal) {
    this.journal = journal;
  }

  /** The summary with the journal id ("" when it cannot be written: the operation's outcome stands). */
  ApplySummary write(ApplySummary.Builder s, Instant started, String source, ClusterSpec spec, String kind,
      String summary, List<StepEvent> events) {
    JournalEntry e = JournalEntry.newBuilder().setId(Journal.id(started)).setKind(kind)
        .setStartedEpochMillis(started.toEpochMilli()).setElapsedMillis(s.getElapsedMillis()).setSpecSha256(spec.sha256())
        .setSourceName(source).setSuccess(s.getSuccess()).setChanged(s.getChanged()).setFailed(s.getFailed())
        .setError(s.getError()).setSummary(summary).build();
    try {
      journal.write(e, events);
      s.setJournalId(e.getId());
    } catch (IOException ex) {
      log.error("cannot write the journal entry of {} {}: {}", kind, summary, ex.getMessage());
    }
    return s.build();
  }
}
