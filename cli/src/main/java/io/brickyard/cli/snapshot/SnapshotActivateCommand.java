package io.brickyard.cli.snapshot;

import io.brickyard.api.coordinator.v1.SnapshotAction;
import picocli.CommandLine.Command;

/** {@code brickyard snapshot activate NAME -f spec.yaml [--dry-run] [-o json|yaml]}: Activate a snapshot: its bricks start, and it can be mounted read-only as HOST:/snaps/NAME/VOLUME or cloned. */
@Command(name = "activate", description = "Activate a snapshot: its bricks start, and it can be mounted read-only as HOST:/snaps/NAME/VOLUME or cloned. Journaled (see 'brickyard history').")
public final class SnapshotActivateCommand extends NamedSnapshotCommand {
  @Override
  SnapshotAction action() {
    return SnapshotAction.SNAPSHOT_ACTIVATE;
  }
}
