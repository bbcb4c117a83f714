package io.brickyard.cli.brick;

import io.brickyard.api.coordinator.v1.RemoveBricksRequest;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.apply.ProgressOption;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard brick remove VOLUME BRICK... -f spec.yaml [--dry-run]}: whole sets only; their
 * files migrate to the other sets (progress per node), the removal is committed only when the
 * migration completed without failures; the brick directories are kept.
 */
@Command(name = "remove", description = "Remove whole replica/disperse sets from a volume: gluster volume remove-brick start, "
    + "wait for the migration of their files with progress, and commit only when it completed without failures. The brick "
    + "directories are kept. Journaled (brickyard history).")
public final class BrickRemoveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;

  @Parameters(index = "0", paramLabel = "VOLUME", description = "The volume.")
  String volume;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "BRICK", description = "The bricks, node:/path, whole sets.")
  List<String> bricks;

  @Option(names = "--dry-run", description = "Run the checks only; change nothing.")
  boolean dryRun;

  @Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    for (String b : bricks) {
      BrickReplaceCommand.checkBrick(b);
    }
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    try {
      return Day2Stream.print(conn.stub(ch).withDeadlineAfter(24, TimeUnit.HOURS).removeBricks(RemoveBricksRequest
          .newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).setVolume(volume).addAllBricks(bricks)
          .setDryRun(dryRun).build()), spec.commandLine().getOut(), progress, "Brick remove", dryRun);
    } finally {
      ConnectionOptions.close(ch);
    }
  }
}
