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
 * {@code brickyard snapshot restore NAME -f spec.yaml [--yes]}: the volume goes back to the
 * snapshot. gluster restores onto a stopped volume only, so the volume is stopped (clients lose
 * it), restored and started again, after a confirmation; gluster removes the snapshot it restored.
 */
@Command(name = "restore", description = "Restore a volume to a snapshot: stops the volume (its clients lose it), restores, "
    + "starts it again. Everything written since the snapshot is lost, and gluster removes the snapshot. Asks first "
    + "(--yes for scripts). Journaled (see 'brickyard history').")
public final class SnapshotRestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "NAME", description = "The snapshot.")
  String name;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "Show what would run; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    output.format();
    SnapshotCall.name("NAME", name);
    var out = spec.commandLine().getOut();
    if (!yes && !dryRun && !confirm(out)) {
      out.println("not restored");
      out.flush();
      return io.brickyard.cli.ExitCodes.FAILURE;
    }
    SnapshotCommand.Builder req = SnapshotCommand.newBuilder().setAction(SnapshotAction.SNAPSHOT_RESTORE)
        .setName(name).setStopVolume(true).setDryRun(dryRun);
    return SnapshotCall.print(SnapshotCall.send(conn, file, spec.commandLine().getErr(), req), output, out);
  }

  private boolean confirm(java.io.PrintWriter out) throws java.io.IOException {
    if (System.console() == null && System.in.available() <= 0) {
      throw new io.brickyard.cli.UserException(io.brickyard.cli.ExitCodes.BAD_INPUT,
          "not a terminal: pass --yes to restore without confirmation");
    }
    out.print("Restore the volume of snapshot " + name + "? It is stopped (clients lose it), everything written since the "
        + "snapshot is lost, and the snapshot is removed. [y/N] ");
    out.flush();
    String a = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
        java.nio.charset.StandardCharsets.UTF_8)).readLine();
    return a != null && (a.trim().equalsIgnoreCase("y") || a.trim().equalsIgnoreCase("yes"));
  }
}
