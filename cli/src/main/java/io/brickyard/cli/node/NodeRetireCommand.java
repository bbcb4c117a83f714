package io.brickyard.cli.node;

import io.brickyard.api.coordinator.v1.RetireNodeRequest;
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
 * {@code brickyard node retire NODE -f spec.yaml [--dry-run]}: gluster peer detach, asked of
 * another node of the spec, refused (exit 1) with the list of bricks still on NODE.
 */
@Command(name = "retire", description = "Detach a node from the trusted pool (gluster peer detach from another node of the "
    + "spec). Refused, with the list, while any brick of any volume is on it. Removing a node from the spec never does this. "
    + "Journaled (brickyard history).")
public final class NodeRetireCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;

  @Parameters(index = "0", paramLabel = "NODE", description = "A node of the spec, or the hostname of a peer the spec no "
      + "longer lists.")
  String node;

  @Option(names = "--dry-run", description = "Run the checks only; change nothing.")
  boolean dryRun;

  @Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    try {
      return Day2Stream.print(conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), 180), TimeUnit.SECONDS)
          .retireNode(RetireNodeRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).setNode(node)
              .setDryRun(dryRun).build()), spec.commandLine().getOut(), progress, "Node retire", dryRun);
    } finally {
      ConnectionOptions.close(ch);
    }
  }
}
