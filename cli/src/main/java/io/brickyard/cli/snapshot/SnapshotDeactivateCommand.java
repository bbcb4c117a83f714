package io.brickyard.cli.snapshot;

import io.brickyard.api.coordinator.v1.SnapshotAction;
import picocli.CommandLine.Command;

/** {@code brickyard snapshot deactivate NAME -f spec.yaml [--dry-run] [-o json|yaml]}: Deactivate a snapshot: its bricks stop (it stays, and can be activated again). */
@Command(name = "deactivate", description = "Deactivate a snapshot: its bricks stop (it stays, and can be activated again). Journaled (see 'brickyard history').")
public final class SnapshotDeactivateCommand extends NamedSnapshotCommand {
  @Override
  SnapshotAction action() {
    return SnapshotAction.SNAPSHOT_DEACTIVATE;
  }
}
