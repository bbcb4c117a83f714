package io.brickyard.cli.volume;

import picocli.CommandLine.Command;

/** {@code brickyard volume delete}: day-2 work on a whole volume (docs/day2.md). */
@Command(name = "volume", description = "Day-2 work on a volume: delete one the spec no longer has.",
    subcommands = {VolumeDeleteCommand.class})
public final class VolumeCommand {
}
