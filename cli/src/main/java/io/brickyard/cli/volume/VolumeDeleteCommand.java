package io.brickyard.cli.volume;

import io.brickyard.api.coordinator.v1.DeleteVolumeRequest;
import io.brickyard.cli.brick.Day2Stream;
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
 * {@code brickyard volume delete NAME -f spec.yaml [--purge-bricks NAME] [--dry-run]}: apply never
 * deletes a volume; this stops and deletes one the spec no longer lists. Its brick directories are
 * kept unless {@code --purge-bricks} repeats the name.
 */
@Command(name = "delete", description = "Stop and delete a volume that the spec no longer has (apply never deletes one). Its "
    + "brick directories, with their files, are kept unless --purge-bricks repeats the volume's name. Journaled.")
public final class VolumeDeleteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;

  @Parameters(index = "0", paramLabel = "NAME", description = "The volume.")
  String volume;

  @Option(names = "--purge-bricks", paramLabel = "NAME", description = "Also remove its brick directories (each only if "
      + "its volume-id is this volume's); type the volume's name again.")
  String purge;

  @Option(names = "--dry-run", description = "Run the checks only; change nothing.")
  boolean dryRun;

  @Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    try {
      return Day2Stream.print(conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), 300), TimeUnit.SECONDS)
          .deleteVolume(DeleteVolumeRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).setVolume(volume)
              .setPurgeBricks(purge == null ? "" : purge).setDryRun(dryRun).build()), spec.commandLine().getOut(),
          progress, "Volume delete", dryRun);
    } finally {
      ConnectionOptions.close(ch);
    }
  }
}
