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

/** {@code brickyard snapshot info NAME -f spec.yaml [-o json|yaml]}: one snapshot. */
@Command(name = "info", description = "Show one snapshot: volume, state, creation time (UTC), uuid, description.")
public final class SnapshotInfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The snapshot.")
  String name;

  @Override
  public Integer call() throws Exception {
    output.format();
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_INFO)
        .setName(SnapshotCall.name("NAME", name));
    SnapshotCommandResponse r = SnapshotCall.send(conn, file, spec.commandLine().getErr(), req);
    if (!output.structured() && r.getError().isEmpty() && r.getSnapshotsCount() == 1) {
      var s = r.getSnapshots(0);
      var out = spec.commandLine().getOut();
      out.println("name:        " + s.getName());
      out.println("volume:      " + s.getVolume());
      out.println("state:       " + (s.getActivated() ? "activated" : "inactive") + " (" + s.getStatus() + ")");
      out.println("created:     " + s.getCreateTime());
      out.println("uuid:        " + s.getUuid());
      out.println("description: " + s.getDescription());
      out.flush();
      return 0;
    }
    return SnapshotCall.print(r, output, spec.commandLine().getOut());
  }
}
