package io.brickyard.cli.certs;

import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the cluster CA's key out of every directory a daemon reads its own key from: a host that
 * held {@code ca.key} could mint itself an admin certificate and drive every agent as root. The
 * CA lives in its own directory ({@value #DEFAULT_CA_DIR}, 0700, on the admin's machine); issued
 * certificates and keys go elsewhere, and the two never meet.
 */
final class CaDirPolicy {
  static final String DEFAULT_CA_DIR = "/etc/brickyard/ca";
  /** The daemons' built-in {@code --tls-dir}. */
  static final String DEFAULT_TLS_DIR = "/etc/brickyard/tls";
  /** The daemons' environment files (deploy/sysconfig) and the TLS directory variable each sets. */
  static final Map<String, List<Path>> SYSCONFIG = Map.of(
      "BRICKYARD_AGENT_TLS_DIR", List.of(Path.of("/etc/sysconfig/brickyard-agent"), Path.of("/etc/default/brickyard-agent")),
      "BRICKYARD_COORDINATOR_TLS_DIR", List.of(Path.of("/etc/sysconfig/brickyard-coordinator"),
          Path.of("/etc/default/brickyard-coordinator")));
  private static final Pattern LINE = Pattern.compile("\\s*([A-Z0-9_]+)=\"?([^\"]*)\"?\\s*");

  private final Map<String, List<Path>> sysconfig;

  CaDirPolicy(Map<String, List<Path>> sysconfig) {
    this.sysconfig = sysconfig;
  }

  static CaDirPolicy system() {
    return new CaDirPolicy(SYSCONFIG);
  }

  /** Refuses a CA directory that is, or looks like, where a daemon keeps its own key. */
  void checkCaDir(Path caDir) {
    Path ca = canonical(caDir);
    if (daemonTlsDirs().contains(ca)) {
      throw refusal(caDir + " is a daemon's TLS directory");
    }
    List<Path> own = ownCertificateFiles(ca);
    if (!own.isEmpty()) {
      throw refusal(caDir + " holds " + own.get(0).getFileName() + ", a node's, coordinator's or admin's own file");
    }
  }

  /** Refuses to write issued files into the CA directory, or next to a {@code ca.key}. */
  void checkOutDir(Path out, Path caDir) {
    if (canonical(out).equals(canonical(caDir))) {
      throw new UserException(ExitCodes.BAD_INPUT, "--out " + out + " is the CA directory: write the certificate "
          + "and key where their owner reads them (e.g. --out " + DEFAULT_TLS_DIR + "), never beside ca.key");
    }
    if (Files.exists(out.resolve("ca.key"))) {
      throw new UserException(ExitCodes.BAD_INPUT, "--out " + out + " holds ca.key: the cluster CA's key must not lie "
          + "beside a daemon's key; move it to a CA directory of its own (install -d -m 0700 " + DEFAULT_CA_DIR
          + " && mv " + out.resolve("ca.key") + " " + out.resolve("ca.crt") + " " + DEFAULT_CA_DIR + "/ && cp "
          + DEFAULT_CA_DIR + "/ca.crt " + out + "/) and pass --ca-dir " + DEFAULT_CA_DIR);
    }
  }

  private static UserException refusal(String why) {
    return new UserException(ExitCodes.BAD_INPUT, "refusing to write ca.key there: " + why
        + "; a host holding ca.key can mint admin certificates. Use a directory of its own (default "
        + DEFAULT_CA_DIR + ", --ca-dir)");
  }

  /** The built-in TLS directory and every one configured in the daemons' environment files or this environment. */
  Set<Path> daemonTlsDirs() {
    Set<Path> dirs = new LinkedHashSet<>();
    dirs.add(canonical(Path.of(DEFAULT_TLS_DIR)));
    for (Map.Entry<String, List<Path>> e : sysconfig.entrySet()) {
      String env = System.getenv(e.getKey());
      if (env != null && !env.isBlank()) {
        dirs.add(canonical(Path.of(env)));
      }
      for (Path file : e.getValue()) {
        for (String v : values(file, e.getKey())) {
          dirs.add(canonical(Path.of(v)));
        }
      }
    }
    return dirs;
  }

  /** Values of {@code key} in a systemd EnvironmentFile (KEY=value or KEY="value"); none if unreadable. */
  private static List<String> values(Path file, String key) {
    List<String> out = new ArrayList<>();
    try {
      if (!Files.isReadable(file)) {
        return out;
      }
      for (String line : Files.readAllLines(file)) {
        Matcher m = LINE.matcher(line);
        if (m.matches() && m.group(1).equals(key) && !m.group(2).isBlank()) {
          out.add(m.group(2).strip());
        }
      }
    } catch (IOException e) {
      // an unreadable file configures nothing we could compare against
    }
    return out;
  }

  /** Certificates and keys other than the CA's own in {@code dir}: signs that a daemon or person uses it. */
  private static List<Path> ownCertificateFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return (n.endsWith(".key") || n.endsWith(".crt")) && !n.equals("ca.key") && !n.equals("ca.crt");
      }).sorted().toList();
    } catch (IOException e) {
      throw new UserException(ExitCodes.BAD_INPUT, "cannot list " + dir + ": " + e.getMessage());
    }
  }

  /** Absolute, symlinks resolved as far as the path exists, so that two spellings of one directory compare equal. */
  static Path canonical(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }
}
