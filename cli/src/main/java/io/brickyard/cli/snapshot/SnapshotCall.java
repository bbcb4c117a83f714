package io.brickyard.cli.snapshot;

import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.coordinator.v1.SnapshotAction;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What every {@code snapshot} subcommand shares: the names checked before anything is sent (the
 * agent checks again), one call to the coordinator with the spec, and the output: text for people,
 * {@code -o json|yaml} for scripts. Exit 0 done, 1 failed (the error and how far it got), 2 bad input.
 */
final class SnapshotCall {
  /** gluster 10.3's snapshot name rule, plus no leading '-' (docs/snapshots.md). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");
  /** A change may take minutes (barrier, one lvcreate per brick); reads use the --timeout given. */
  static final long CHANGE_DEADLINE_SECONDS = 600;

  private SnapshotCall() {}

  static String name(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new UserException(ExitCodes.BAD_INPUT, field + ": '" + value + "' is not a snapshot name (letters, digits, '-' and"
          + " '_', at most 255, not starting with '-')");
    }
    return value;
  }

  static String volume(String field, String value) {
    if (value == null || !value.matches("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")) {
      throw new UserException(ExitCodes.BAD_INPUT, field + ": '" + value + "' is not a volume name (letters, digits, '-' and"
          + " '_', at most 64, not starting with '-')");
    }
    return value;
  }

  static SnapshotCommandResponse send(ConnectionOptions conn, SpecFileOption file, PrintWriter err,
      SnapshotCommand.Builder req) throws Exception {
    SpecFile.Loaded l = file.loadValid(err);
    boolean read = req.getAction() == SnapshotAction.SNAPSHOT_LIST || req.getAction() == SnapshotAction.SNAPSHOT_INFO;
    ManagedChannel ch = conn.open();
    try {
      return conn.stub(ch).withDeadlineAfter(read ? conn.timeoutSeconds() : Math.max(conn.timeoutSeconds(),
              CHANGE_DEADLINE_SECONDS), TimeUnit.SECONDS)
          .snapshot(req.setSpecYaml(l.yaml()).setSourceName(l.name()).build());
    } finally {
      ConnectionOptions.close(ch);
    }
  }

  /** Prints the response (text or -o) and returns the exit code. */
  static int print(SnapshotCommandResponse r, OutputOptions output, PrintWriter out) throws Exception {
    if (output.structured()) {
      output.print(r, out);
    } else {
      text(r, out);
    }
    out.flush();
    return r.getError().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  static void text(SnapshotCommandResponse r, PrintWriter out) {
    for (OperationResult o : r.getResultsList()) {
      out.println(o.getSummary() + (o.getChanged() ? "" : " (unchanged)") + (o.getDryRun() ? " (dry run)" : ""));
      o.getWarningsList().forEach(w -> out.println("  warning: " + w));
    }
    if (!r.getError().isEmpty()) {
      out.println("FAILED on " + r.getNode() + ": " + r.getError());
    }
    if (!r.getJournalId().isEmpty()) {
      out.println("journal " + r.getJournalId());
    }
  }

  /** One line per snapshot: name, volume, state, created, description. */
  static void table(List<Snapshot> snaps, PrintWriter out) {
    if (snaps.isEmpty()) {
      out.println("no snapshots");
      return;
    }
    out.println(String.format("%-24s %-16s %-11s %-25s %s", "NAME", "VOLUME", "STATE", "CREATED", "DESCRIPTION"));
    for (Snapshot s : snaps) {
      out.println(String.format("%-24s %-16s %-11s %-25s %s", s.getName(), s.getVolume(),
          s.getActivated() ? "activated" : "inactive", s.getCreateTime(), s.getDescription()));
    }
  }
}
