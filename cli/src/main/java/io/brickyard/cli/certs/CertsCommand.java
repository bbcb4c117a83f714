package io.brickyard.cli.certs;

import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brickyard certs init|issue}: the cluster CA and the certificates it signs. */
@Command(name = "certs", description = "Create the cluster CA and issue node, coordinator and admin certificates.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class})
public final class CertsCommand {

  @Command(name = "init", description = "Create a new cluster CA (ca.crt, ca.key mode 0600).")
  static final class Init implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", defaultValue = "/etc/brickyard/tls", description = "Where to write (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--cluster", defaultValue = "brickyard", description = "Cluster name in the CA subject.")
    String cluster;

    @Option(names = "--days", defaultValue = "3650")
    int days;

    @Override
    public Integer call() {
      try {
        CertAuthority.init(dir, cluster, Duration.ofDays(days));
      } catch (IOException e) {
        throw new UserException(ExitCodes.BAD_INPUT, e.getMessage());
      }
      spec.commandLine().getOut().println("created cluster CA " + dir.resolve("ca.crt") + " (key " + dir.resolve("ca.key") + ", mode 0600)");
      return ExitCodes.OK;
    }
  }

  @Command(name = "issue", description = "Issue NAME.crt + NAME.key signed by the cluster CA.")
  static final class Issue implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "Certificate name: the node name, 'coordinator' or an admin name.")
    String name;

    @Option(names = "--role", defaultValue = "node", description = "node, coordinator or admin (default ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--san", split = ",", description = "Extra DNS names or IP addresses the peer will dial (repeatable).")
    List<String> sans = new ArrayList<>();

    @Option(names = "--dir", defaultValue = "/etc/brickyard/tls")
    Path dir;

    @Option(names = "--days", defaultValue = "825")
    int days;

    @Override
    public Integer call() {
      Role r = Role.fromOu(role);
      if (r == null) {
        throw new UserException(ExitCodes.BAD_INPUT, "--role: expected node, coordinator or admin, got '" + role + "'");
      }
      try {
        Path crt = CertAuthority.load(dir).issue(dir, name, r, sans, Duration.ofDays(days));
        spec.commandLine().getOut().println("issued " + r.ou() + " certificate " + crt + " (key mode 0600)");
      } catch (IOException e) {
        throw new UserException(ExitCodes.BAD_INPUT, e.getMessage());
      }
      return ExitCodes.OK;
    }
  }
}
