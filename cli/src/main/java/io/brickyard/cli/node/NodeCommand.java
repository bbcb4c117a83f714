package io.brickyard.cli.node;

import picocli.CommandLine.Command;

/** {@code brickyard node retire}: day-2 work on a whole node (docs/day2.md). */
@Command(name = "node", description = "Day-2 work on a node: retire it from the trusted pool once it holds no brick.",
    subcommands = {NodeRetireCommand.class})
public final class NodeCommand {
}
