package io.brickyard.cli.status;

import com.google.protobuf.InvalidProtocolBufferException;
import io.brickyard.api.coordinator.v1.HistoryRequest;
import io.brickyard.api.coordinator.v1.HistoryResponse;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard history [-o json|yaml]}: the coordinator's journal, newest first: applies and
 * virtual IP moves, each with its result.
 */
@Command(name = "history", description = "The journal, newest first: applies (which spec, result) and virtual IP moves.")
public final class HistoryCommand implements Callable<Integer> {
  /** What an entry without a kind is: journal files written before vip moves existed are all applies. */
  static final String APPLY = "apply";

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin OutputOptions output;

  @Option(names = {"-n", "--limit"}, defaultValue = "20")
  int limit;

  @Override
  public Integer call() throws Exception {
    boolean structured = output.structured();
    ManagedChannel ch = conn.open();
    HistoryResponse h;
    try {
      h = conn.stub(ch).history(HistoryRequest.newBuilder().setLimit(limit).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (structured) {
      output.print(h, out);
    } else {
      if (h.getEntriesCount() == 0) {
        out.println("the journal is empty: no applies or vip moves yet");
      }
      h.getEntriesList().forEach(e -> out.println(line(e)));
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String kind(JournalEntry e) {
    return e.getKind().isEmpty() ? APPLY : e.getKind();
  }

  /** One entry: id, start, kind, result, then what an apply changed (and from which spec) or what a move moved. */
  static String line(JournalEntry e) {
    String head = String.format("%s  %-24s %-8s %-7s ", e.getId(), Instant.ofEpochMilli(e.getStartedEpochMillis()), kind(e),
        e.getSuccess() ? "ok" : "FAILED");
    String what;
    if (kind(e).equals(APPLY)) {
      what = String.format("%3d changed %2d failed  %6.1f s  spec %s  %s", e.getChanged(), e.getFailed(),
          e.getElapsedMillis() / 1000.0, e.getSpecSha256().substring(0, Math.min(12, e.getSpecSha256().length())),
          e.getSourceName());
    } else {
      what = String.format("%s  %.2f s", e.getSummary().isEmpty() ? "-" : e.getSummary(), e.getElapsedMillis() / 1000.0);
    }
    return (head + what + (e.getError().isEmpty() ? "" : "  " + e.getError())).stripTrailing();
  }
}
