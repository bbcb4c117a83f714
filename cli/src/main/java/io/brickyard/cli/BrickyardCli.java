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
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code brickyard}: the command line for people and scripts. Exit codes: 0 ok, 1 failure, 2 bad input. */
@Command(name = "brickyard", mixinStandardHelpOptions = true, version = "brickyard 0.1.0",
    description = "Declarative, safe HA NFS on GlusterFS + NFS-Ganesha.",
    subcommands = {NodesCommand.class, ValidateCommand.class, PlanCommand.class, ApplyCommand.class, StatusCommand.class,
        HistoryCommand.class, ClientMountCommand.class, CertsCommand.class, LabCommand.class, CommandLine.HelpCommand.class})
public final class BrickyardCli {

  /** The configured command line, shared by main() and tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BrickyardCli());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler((ex, args) -> {
      ex.getCommandLine().getErr().println("brickyard: " + ex.getMessage());
      ex.getCommandLine().getErr().println("usage: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
      return ExitCodes.BAD_INPUT;
    });
    return cl;
  }

  public static void main(String[] args) {
    NettyDefaults.apply();
    int rc = commandLine().execute(args);
    CdsTraining.runIfRecording();
    System.exit(rc);
  }
}
