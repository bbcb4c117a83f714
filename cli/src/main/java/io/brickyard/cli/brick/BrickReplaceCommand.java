package io.brickyard.cli.brick;

import io.brickyard.api.coordinator.v1.ReplaceBrickRequest;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.apply.ProgressOption;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard brick replace VOLUME OLD NEW -f spec.yaml [--dry-run]}: the coordinator checks
 * (OLD's replica set has another brick online, NEW is a prepared, empty directory on a connected
 * peer of the spec), then runs replace-brick commit force and waits for the heal, streaming each
 * step and the heal's pending counts like an apply. Exit 2: bad input; 1: a check refused or a step
 * failed (rerun converges); 0: replaced and healed.
 */
@Command(name = "replace", description = "Replace a brick of a volume by a new, empty brick directory on a node of the spec "
    + "(gluster volume replace-brick ... commit force), then wait until the heal has nothing pending. Checked first: the "
    + "brick's replica set has another brick online, the new directory is prepared and empty. Journaled (brickyard history).")
public final class BrickReplaceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;

  @Parameters(index = "0", paramLabel = "VOLUME", description = "The volume.")
  String volume;

  @Parameters(index = "1", paramLabel = "OLD", description = "The brick to replace, node:/path as in the spec.")
  String oldBrick;

  @Parameters(index = "2", paramLabel = "NEW", description = "The new brick, node:/path on a node of the spec "
      + "(e.g. a prepared brick filesystem's <mountPoint>/brick).")
  String newBrick;

  @Option(names = "--dry-run", description = "Run the checks only; change nothing.")
  boolean dryRun;

  @Option(names = "--heal-timeout", defaultValue = "3600", paramLabel = "SECONDS",
      description = "How long to wait for the heal (default ${DEFAULT-VALUE}); a rerun waits again.")
  int healTimeout;

  @Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    checkBrick(oldBrick);
    checkBrick(newBrick);
    if (healTimeout <= 0) {
      throw new UserException(ExitCodes.BAD_INPUT, "--heal-timeout: must be positive");
    }
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    try {
      return Day2Stream.print(conn.stub(ch).withDeadlineAfter(healTimeout + 600L, TimeUnit.SECONDS)
          .replaceBrick(ReplaceBrickRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name())
              .setVolume(volume).setOldBrick(oldBrick).setNewBrick(newBrick).setDryRun(dryRun)
              .setHealTimeoutSeconds(healTimeout).build()), spec.commandLine().getOut(), progress, "Brick replace", dryRun);
    } finally {
      ConnectionOptions.close(ch);
    }
  }

  /** node:/absolute/path, not an option: bad input is exit 2 before anything is asked. */
  static void checkBrick(String b) {
    int c = b.indexOf(':');
    if (c <= 0 || c + 1 >= b.length() || b.charAt(c + 1) != '/' || b.startsWith("-")) {
      throw new UserException(ExitCodes.BAD_INPUT, "'" + b + "' is not a brick: expected node:/absolute/path");
    }
  }
}
