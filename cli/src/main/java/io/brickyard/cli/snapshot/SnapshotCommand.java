package io.brickyard.cli.snapshot;

import picocli.CommandLine.Command;

/** {@code brickyard snapshot ...}: gluster volume snapshots of the spec's volumes (docs/snapshots.md). */
@Command(name = "snapshot", description = "Gluster volume snapshots (every brick on a thin LV): create, list, info, "
    + "activate, deactivate, restore, clone, delete. Changes are journaled (see 'brickyard history').",
    subcommands = {SnapshotCreateCommand.class, SnapshotListCommand.class, SnapshotInfoCommand.class,
        SnapshotActivateCommand.class, SnapshotDeactivateCommand.class, SnapshotRestoreCommand.class,
        SnapshotCloneCommand.class, SnapshotDeleteCommand.class})
public final class SnapshotCommand {
}
