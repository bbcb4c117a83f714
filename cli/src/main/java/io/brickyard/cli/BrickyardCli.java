package io.brickyard.cli;

import io.brickyard.common.net.NettyDefaults;
import io.brickyard.cli.apply.ApplyCommand;
import io.brickyard.cli.apply.PlanCommand;
import io.brickyard.cli.certs.CertsCommand;
import io.brickyard.cli.spec.ValidateCommand;
import io.brickyard.cli.status.ClientMountCommand;
import io.brickyard.cli.status.HistoryCommand;
import io.brickyard.cli.status.StatusCommand;
import io.brickyard.cli.lab.LabCommand;
import io.brickyard.cli.nodes.NodesCommand;
import io.brickyard.cli.snapshot.SnapshotCommand;
import io.brickyard.cli.brick.BrickCommand;
import io.brickyard.cli.heal.HealCommand;
import io.brickyard.cli.node.NodeCommand;
import io.brickyard.cli.volume.VolumeCommand;
import io.brickyard.cli.vip.VipCommand;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code brickyard}: the command line for people and scripts. Exit codes: 0 ok, 1 failure, 2 bad input. */
@Command(name = "brickyard", mixinStandardHelpOptions = true, version = "brickyard 0.1.0",
    description = "Declarative, safe HA NFS on GlusterFS + NFS-Ganesha.")
public final class BrickyardCli {
  /** The subcommands, in the order help lists them. */
  static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    for (Class<?> c : List.of(NodesCommand.class, ValidateCommand.class, PlanCommand.class, ApplyCommand.class,
        StatusCommand.class, HistoryCommand.class, VipCommand.class, SnapshotCommand.class, BrickCommand.class,
        NodeCommand.class, VolumeCommand.class, HealCommand.class, ClientMountCommand.class, CertsCommand.class, LabCommand.class,
        CommandLine.HelpCommand.class)) {
      SUBCOMMANDS.put(c.getAnnotation(Command.class).name(), c);
    }
  }

  /** The configured command line with every subcommand, shared by main() and tests. */
  public static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS.keySet());
  }

  /**
   * For {@code args} naming a subcommand first (every script's and admin's call), only that
   * subcommand's model is built: picocli builds a command's model by reflection over its options
   * and mixins, and building all ten cost ~0.1 s of every CLI start. Anything else (no
   * subcommand, --help, a typo that deserves suggestions) gets the full command line.
   */
  static CommandLine commandLineFor(String[] args) {
    if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
      return commandLine(List.of(args[0]));
    }
    return commandLine();
  }

  private static CommandLine commandLine(Collection<String> names) {
    CommandLine cl = new CommandLine(new BrickyardCli());
    for (String n : names) {
      cl.addSubcommand(n, SUBCOMMANDS.get(n));
    }
    addHelp(cl);
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler((ex, args) -> {
      ex.getCommandLine().getErr().println("brickyard: " + ex.getMessage());
      if (ex instanceof CommandLine.UnmatchedArgumentException u) {
        CommandLine.UnmatchedArgumentException.printSuggestions(u, ex.getCommandLine().getErr()); // "Did you mean: nodes?"
      }
      ex.getCommandLine().getErr().println("usage: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
      return ExitCodes.BAD_INPUT;
    });
    return cl;
  }

  /**
   * {@code -h, --help} on every subcommand, nested ones included: "usage: brickyard nodes --help" is
   * what every parameter error tells people to run.
   */
  private static void addHelp(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand) && sub.getCommandSpec().findOption("--help") == null) {
        sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
            .description("Show this help message and exit.").build());
      }
      addHelp(sub);
    }
  }

  public static void main(String[] args) {
    NettyDefaults.apply();
    int rc = commandLineFor(args).execute(args);
    CdsTraining.runIfRecording();
    System.exit(rc);
  }
}
