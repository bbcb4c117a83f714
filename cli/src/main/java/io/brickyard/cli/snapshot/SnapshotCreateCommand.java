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
 * {@code brickyard snapshot create VOLUME NAME [--description TEXT] -f spec.yaml}: a snapshot of a
 * started volume whose bricks are all on thin LVs; the name is used as given (no timestamp added).
 */
@Command(name = "create", description = "Snapshot a started volume (every brick must be on a thin LV; a brick that is not "
    + "is named with what it is on). The name is used as given. Journaled (see 'brickyard history').")
public final class SnapshotCreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "VOLUME", description = "A volume of the spec.")
  String volume;

  @Parameters(index = "1", paramLabel = "NAME", description = "The snapshot's name: letters, digits, '-' and '_', at most 255.")
  String name;

  @Option(names = "--description", paramLabel = "TEXT", description = "One line, at most 1024 characters.")
  String description = "";

  @Option(names = "--dry-run", description = "Show what would run; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    output.format();
    if (description.length() > 1024 || description.startsWith("-") || description.chars().anyMatch(Character::isISOControl)) {
      throw new io.brickyard.cli.UserException(io.brickyard.cli.ExitCodes.BAD_INPUT,
          "--description: one line of at most 1024 characters, not starting with '-'");
    }
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_CREATE)
        .setVolume(SnapshotCall.volume("VOLUME", volume)).setName(SnapshotCall.name("NAME", name))
        .setDescription(description).setDryRun(dryRun);
    return SnapshotCall.print(SnapshotCall.send(conn, file, spec.commandLine().getErr(), req), output,
        spec.commandLine().getOut());
  }
}
