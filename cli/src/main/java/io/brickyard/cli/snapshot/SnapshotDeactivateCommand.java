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

/** {@code brickyard snapshot deactivate NAME -f spec.yaml [--dry-run] [-o json|yaml]}: Deactivate a snapshot: its bricks stop (it stays, and can be activated again). */
@Command(name = "deactivate", description = "Deactivate a snapshot: its bricks stop (it stays, and can be activated again). Journaled (see 'brickyard history').")
public final class SnapshotDeactivateCommand implements Callable<Integer> {
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
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_DEACTIVATE)
        .setName(SnapshotCall.name("NAME", name)).setDryRun(dryRun);
    return SnapshotCall.print(SnapshotCall.send(conn, file, spec.commandLine().getErr(), req), output,
        spec.commandLine().getOut());
  }
}
