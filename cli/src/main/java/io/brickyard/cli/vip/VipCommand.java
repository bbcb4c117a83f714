package io.brickyard.cli.vip;

import picocli.CommandLine.Command;

/** {@code brickyard vip move|list}: the NFS service's virtual IPs, the addresses clients mount. */
@Command(name = "vip", description = "The NFS virtual IPs: where each one is, and moving one to another NFS node.",
    subcommands = {VipListCommand.class, VipMoveCommand.class})
public final class VipCommand {
}
