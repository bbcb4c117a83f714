package io.brickyard.cli.snapshot;

import io.brickyard.api.coordinator.v1.SnapshotAction;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFileOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brickyard snapshot delete NAME -f spec.yaml [--dry-run] [-o json|yaml]}: Delete a snapshot (its thin LVs are removed; the volume is untouched). */
@Command(name = "delete", description = "Delete a snapshot (its thin LVs are removed; the volume is untouched). Journaled (see 'brickyard history').")
public final class SnapshotDeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The snapshot.")
  String name;

  @Option(names = "--dry-run", description = "Show what would run; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    output.format();
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_DELETE)
        .setName(SnapshotCall.name("NAME", name)).setDryRun(dryRun);
    return SnapshotCall.print(SnapshotCall.send(conn, file, spec.commandLine().getErr(), req), output,
        spec.commandLine().getOut());
  }
}
