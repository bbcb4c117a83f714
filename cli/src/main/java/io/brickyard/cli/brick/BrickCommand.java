package io.brickyard.cli.brick;

import picocli.CommandLine.Command;

/** {@code brickyard brick replace|remove}: day-2 work on one brick of a volume (docs/day2.md). */
@Command(name = "brick", description = "Day-2 work on a volume's bricks: replace a failed one and wait for the heal, "
    + "remove whole sets after migrating their files.",
    subcommands = {BrickReplaceCommand.class, BrickRemoveCommand.class})
public final class BrickCommand {
}
