package io.brickyard.cli.brick;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.apply.Progress;
import io.brickyard.cli.apply.ProgressOption;
import java.io.PrintWriter;
import java.util.Iterator;

/**
 * The CLI side of a day-2 command's stream (brick replace/remove, node retire): its step events
 * through the apply's progress display (redrawn on a terminal, one line per event otherwise), then
 * one summary line. 0: done; 1: a step failed (the error, and that a rerun converges).
 */
public final class Day2Stream {
  private Day2Stream() {}

  public static int print(Iterator<ApplyEvent> events, PrintWriter out, ProgressOption progress, String what,
      boolean dryRun) {
    Progress prog = Progress.forOutput(out, progress.redraw());
    ApplySummary summary = null;
    try {
      while (events.hasNext()) {
        ApplyEvent e = events.next();
        if (e.hasStep()) {
          prog.event(e.getStep());
        } else if (e.hasSummary()) {
          summary = e.getSummary();
        }
      }
    } finally {
      prog.finish();
    }
    if (summary == null) {
      throw new UserException(ExitCodes.FAILURE, "the coordinator ended the " + what + " without a summary");
    }
    out.printf("%s %s: %d changed, %d unchanged, %d failed, %d skipped in %.1f s%s%n", what,
        summary.getSuccess() ? (dryRun ? "checked" : "complete") : "FAILED", summary.getChanged(), summary.getUnchanged(),
        summary.getFailed(), summary.getSkipped(), summary.getElapsedMillis() / 1000.0,
        summary.getJournalId().isEmpty() ? "" : " (journal " + summary.getJournalId() + ")");
    if (!summary.getSuccess()) {
      out.println("error: " + summary.getError());
      out.println("Run the same command again to converge: what was done is kept, what is left is checked and run.");
    }
    out.flush();
    return summary.getSuccess() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
