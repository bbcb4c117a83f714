package io.brickyard.cli.snapshot;

import io.brickyard.api.coordinator.v1.SnapshotAction;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFileOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brickyard snapshot list [VOLUME] -f spec.yaml [-o json|yaml]}: the snapshots, oldest first. */
@Command(name = "list", description = "List snapshots (of one volume, or of every volume): name, volume, state, creation "
    + "time (UTC), description.")
public final class SnapshotListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", arity = "0..1", paramLabel = "VOLUME", description = "Only this volume's snapshots.")
  String volume;

  @Override
  public Integer call() throws Exception {
    output.format();
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_LIST);
    if (volume != null) {
      req.setVolume(SnapshotCall.volume("VOLUME", volume));
    }
    SnapshotCommandResponse r = SnapshotCall.send(conn, file, spec.commandLine().getErr(), req);
    if (!output.structured() && r.getError().isEmpty()) {
      SnapshotCall.table(r.getSnapshotsList(), spec.commandLine().getOut());
      spec.commandLine().getOut().flush();
      return 0;
    }
    return SnapshotCall.print(r, output, spec.commandLine().getOut());
  }
}
