package io.brickyard.cli.status;

import com.google.protobuf.InvalidProtocolBufferException;
import io.brickyard.api.coordinator.v1.HistoryRequest;
import io.brickyard.api.coordinator.v1.HistoryResponse;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.grpc.ManagedChannel;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brickyard history [-o json|yaml]}: past applies from the coordinator's journal, newest first. */
@Command(name = "history", description = "Past applies (journal): when, which spec, result.")
public final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  @Option(names = {"-n", "--limit"}, defaultValue = "20")
  int limit;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    boolean structured = output.structured();
    ManagedChannel ch = conn.open();
    HistoryResponse h;
    try {
      h = conn.stub(ch).history(HistoryRequest.newBuilder().setLimit(limit).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    var out = spec.commandLine().getOut();
    if (structured) {
      output.print(h, out);
      out.flush();
      return ExitCodes.OK;
    }
    if (h.getEntriesCount() == 0) {
      out.println("no applies yet");
    }
    for (JournalEntry e : h.getEntriesList()) {
      out.printf("%s  %-24s %-7s %3d changed %2d failed  %6.1f s  spec %s  %s%s%n", e.getId(),
          Instant.ofEpochMilli(e.getStartedEpochMillis()), e.getSuccess() ? "ok" : "FAILED", e.getChanged(), e.getFailed(),
          e.getElapsedMillis() / 1000.0, e.getSpecSha256().substring(0, Math.min(12, e.getSpecSha256().length())),
          e.getSourceName(), e.getError().isEmpty() ? "" : "  " + e.getError());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
