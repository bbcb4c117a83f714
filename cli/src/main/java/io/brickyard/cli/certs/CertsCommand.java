package io.brickyard.cli.certs;

import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.RevocationList;
import io.brickyard.common.tls.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard certs init|issue|revoke}: the cluster CA and the certificates it signs. The CA
 * (its key, its copies of issued certificates, its CRL) stays in its own directory on the admin's
 * machine; nodes, the coordinator and admins only ever receive {@code ca.crt}, their own pair and
 * {@code ca.crl} (docs/security.md).
 */
@Command(name = "certs", description = "Create the cluster CA, issue node, coordinator and admin certificates, revoke them.",
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class, CertsCommand.Revoke.class})
public final class CertsCommand {

  @Command(name = "init", description = "Create a new cluster CA (ca.crt, ca.key mode 0600) in a directory of its own (0700).")
  static final class Init implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--ca-dir", defaultValue = CaDirPolicy.DEFAULT_CA_DIR,
        description = "The CA's own directory, never a daemon's TLS directory (default ${DEFAULT-VALUE}).")
    Path caDir;

    @Option(names = "--cluster", defaultValue = "brickyard", description = "Cluster name in the CA subject.")
    String cluster;

    @Option(names = "--days", defaultValue = "3650")
    int days;

    @Override
    public Integer call() {
      CaDirPolicy.system().checkCaDir(caDir);
      try {
        CertAuthority.init(caDir, cluster, Duration.ofDays(days));
      } catch (IOException e) {
        throw new UserException(ExitCodes.BAD_INPUT, e.getMessage());
      }
      spec.commandLine().getOut().println("created cluster CA " + caDir.resolve("ca.crt") + " (key "
          + caDir.resolve("ca.key") + ", mode 0600, in a 0700 directory); only ca.crt goes to the nodes");
      return ExitCodes.OK;
    }
  }

  @Command(name = "issue", description = "Issue NAME.crt + NAME.key signed by the cluster CA, written to --out.")
  static final class Issue implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "Certificate name: the node name, 'coordinator' or an admin name.")
    String name;

    @Option(names = "--role", defaultValue = "node", description = "node, coordinator or admin (default ${DEFAULT-VALUE}).")
    String role;

    @Option(names = "--san", split = ",", description = "Extra DNS names or IP addresses the peer will dial (repeatable).")
    List<String> sans = new ArrayList<>();

    @Option(names = "--ca-dir", defaultValue = CaDirPolicy.DEFAULT_CA_DIR, description = "The CA (default ${DEFAULT-VALUE}).")
    Path caDir;

    @Option(names = "--out", defaultValue = CaDirPolicy.DEFAULT_TLS_DIR,
        description = "Where the owner reads NAME.crt, NAME.key and ca.crt (default ${DEFAULT-VALUE}); never the CA directory.")
    Path out;

    @Option(names = "--days", defaultValue = "825")
    int days;

    @Override
    public Integer call() {
      Role r = Role.fromOu(role);
      if (r == null) {
        throw new UserException(ExitCodes.BAD_INPUT, "--role: expected node, coordinator or admin, got '" + role + "'");
      }
      CaDirPolicy.system().checkOutDir(out, caDir);
      try {
        Path crt = CertAuthority.load(caDir).issue(out, name, r, sans, Duration.ofDays(days));
        spec.commandLine().getOut().println("issued " + r.ou() + " certificate " + crt + " (key mode 0600)");
      } catch (IOException | IllegalArgumentException e) {
        throw new UserException(ExitCodes.BAD_INPUT, e.getMessage());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", description = "Add certificates to the CA's revocation list (ca.crl) and say where to copy it.")
  static final class Revoke implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
      @Parameters(index = "0", description = "Revoke every certificate issued to NAME (its CN).")
      String name;

      @Option(names = "--serial", description = "Revoke one certificate by serial number (hex, as printed by openssl x509 -serial).")
      String serial;
    }

    @Option(names = "--ca-dir", defaultValue = CaDirPolicy.DEFAULT_CA_DIR, description = "The CA (default ${DEFAULT-VALUE}).")
    Path caDir;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      try {
        CertAuthority ca = CertAuthority.load(caDir);
        List<BigInteger> serials = which.name != null ? issuedTo(ca, which.name) : List.of(parseSerial(which.serial));
        Set<BigInteger> before = ca.revokedSerials();
        Path crl = ca.revoke(serials);
        for (BigInteger s : serials) {
          o.println((before.contains(s) ? "already revoked: serial " : "revoked: serial ") + RevocationList.serialHex(s)
              + (which.name != null ? " (CN=" + which.name + ")" : ""));
        }
        o.println("wrote " + crl + ": copy it to " + CaDirPolicy.DEFAULT_TLS_DIR + "/ca.crl (beside ca.crt) on every "
            + "node and on the coordinator; they re-read it when it changes, no restart needed");
      } catch (IOException e) {
        throw new UserException(ExitCodes.BAD_INPUT, e.getMessage());
      }
      return ExitCodes.OK;
    }

    private List<BigInteger> issuedTo(CertAuthority ca, String name) throws IOException {
      List<BigInteger> out = ca.issuedTo(name).stream().map(X509Certificate::getSerialNumber).toList();
      if (out.isEmpty()) {
        throw new UserException(ExitCodes.BAD_INPUT, "no certificate issued to '" + name + "' in " + caDir.resolve("issued")
            + " (revoke one issued elsewhere with --serial)");
      }
      return out;
    }

    private static BigInteger parseSerial(String s) {
      String hex = s.replace(":", "").replaceFirst("^(?i)0x", "");
      if (!hex.matches("[0-9A-Fa-f]{1,64}")) {
        throw new UserException(ExitCodes.BAD_INPUT, "--serial: expected a hexadecimal serial number, got '" + s + "'");
      }
      return new BigInteger(hex, 16);
    }
  }
}
