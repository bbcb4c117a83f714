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

/**
 * {@code brickyard snapshot clone NAME CLONE -f spec.yaml}: a new volume from an activated
 * snapshot (created, not started; it is not in the spec until you add it).
 */
@Command(name = "clone", description = "Make a new volume CLONE from an activated snapshot (writable, shares blocks with "
    + "the snapshot through the thin pool; created, not started). Journaled (see 'brickyard history').")
public final class SnapshotCloneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The snapshot (activated).")
  String name;

  @Parameters(index = "1", paramLabel = "CLONE", description = "The new volume's name.")
  String clone;

  @Option(names = "--dry-run", description = "Show what would run; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    output.format();
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_CLONE)
        .setName(SnapshotCall.name("NAME", name)).setClone(SnapshotCall.volume("CLONE", clone)).setDryRun(dryRun);
    return SnapshotCall.print(SnapshotCall.send(conn, file, spec.commandLine().getErr(), req), output,
        spec.commandLine().getOut());
  }
}
