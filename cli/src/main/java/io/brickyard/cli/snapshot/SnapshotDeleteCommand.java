package io.brickyard.cli.snapshot;

import io.brickyard.api.coordinator.v1.SnapshotAction;
import picocli.CommandLine.Command;

/** {@code brickyard snapshot delete NAME -f spec.yaml [--dry-run] [-o json|yaml]}: Delete a snapshot (its thin LVs are removed; the volume is untouched). */
@Command(name = "delete", description = "Delete a snapshot (its thin LVs are removed; the volume is untouched). Journaled (see 'brickyard history').")
public final class SnapshotDeleteCommand extends NamedSnapshotCommand {
  @Override
  SnapshotAction action() {
    return SnapshotAction.SNAPSHOT_DELETE;
  }
}
