package io.brickyard.cli.brick;

import picocli.CommandLine.Command;

/** {@code brickyard brick replace}: day-2 work on one brick of a volume (docs/day2.md). */
@Command(name = "brick", description = "Day-2 work on a volume's bricks: replace a failed one and wait for the heal.",
    subcommands = {BrickReplaceCommand.class})
public final class BrickCommand {
}
