package io.brickyard.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the CLI finds the coordinator and how it proves who it is. Each setting comes from the
 * command-line flag, then the environment variable, then the first config file found:
 * $BRICKYARD_CONFIG, ~/.config/brickyard/config.properties (written by `brickyard lab up`),
 * /etc/brickyard/cli.properties.
 *
 * <p>Which way to talk ({@link #socket()} set, or HOST:PORT with mutual TLS):
 * <ol>
 *   <li>{@code --coordinator} / BRICKYARD_COORDINATOR (or {@code coordinator=} in the file) is
 *       {@code unix:PATH}: that socket;</li>
 *   <li>{@code --coordinator} / BRICKYARD_COORDINATOR names HOST:PORT: mTLS to it;</li>
 *   <li>otherwise, when no TLS flag asks for a certificate ({@code --tls-dir}, {@code --tls-name}) and
 *       the local admin socket ({@code socket=} in the file, default /run/brickyard-coordinator/coordinator.sock)
 *       exists and this user can see it, the socket: an admin on the coordinator's host needs no
 *       certificate (see LocalSocket);</li>
 *   <li>otherwise mTLS to {@code coordinator=} (default 127.0.0.1:7444).</li>
 * </ol>
 *
 * <p>HOST:PORT may be a comma-separated list, the coordinators of an HA cluster ({@code a:7444,b:7444}):
 * {@link ConnectionOptions#open} asks them in order who leads and talks to the leader (docs/ha.md).
 */
public record CliConfig(String coordinator, Path socket, Path tlsDir, String tlsName, Path source) {
  public static final String DEFAULT_COORDINATOR = "127.0.0.1:7444";
  public static final String DEFAULT_SOCKET = "/run/brickyard-coordinator/coordinator.sock";
  static final String UNIX = "unix:";

  public static Path userConfigFile() {
    return Path.of(System.getProperty("user.home"), ".config", "brickyard", "config.properties");
  }

  /** True when the CLI talks over the local admin socket (no certificate involved). */
  public boolean local() {
    return socket != null;
  }

  /** The HOST:PORT addresses to try, in order (one, or the list of an HA cluster's coordinators); none for the socket. */
  public java.util.List<String> coordinators() {
    if (local()) {
      return java.util.List.of();
    }
    java.util.List<String> out = java.util.Arrays.stream(coordinator.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .toList();
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--coordinator: no address in '" + coordinator + "'");
    }
    return out;
  }

  /** What to name in messages: the socket path or HOST:PORT (or the list). */
  public String target() {
    return local() ? UNIX + socket : coordinator;
  }

  public static CliConfig resolve(String flagCoordinator, Path flagTlsDir, String flagTlsName, Map<String, String> env) {
    Properties p = new Properties();
    Path src = null;
    for (Path candidate : new Path[] {
        env.containsKey("BRICKYARD_CONFIG") ? Path.of(env.get("BRICKYARD_CONFIG")) : null,
        userConfigFile(), Path.of("/etc/brickyard/cli.properties")}) {
      if (candidate != null && Files.isReadable(candidate)) {
        try (Reader r = Files.newBufferedReader(candidate)) {
          p.load(r);
          src = candidate;
          break;
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read config " + candidate + ": " + e.getMessage());
        }
      }
    }
    String tls = first(flagTlsDir == null ? null : flagTlsDir.toString(), env.get("BRICKYARD_TLS_DIR"),
        p.getProperty("tlsDir"), "/etc/brickyard/tls");
    String name = first(flagTlsName, env.get("BRICKYARD_TLS_NAME"), p.getProperty("tlsName"), "admin");
    String named = first(flagCoordinator, env.get("BRICKYARD_COORDINATOR"));
    String coord = first(named, p.getProperty("coordinator"), DEFAULT_COORDINATOR);
    if (coord.startsWith(UNIX)) {
      return new CliConfig(null, Path.of(coord.substring(UNIX.length())), Path.of(tls), name, src);
    }
    boolean wantsCertificate = named != null || flagTlsDir != null || flagTlsName != null;
    Path socket = Path.of(first(p.getProperty("socket"), DEFAULT_SOCKET));
    if (!wantsCertificate && Files.exists(socket)) {
      return new CliConfig(null, socket, Path.of(tls), name, src);
    }
    return new CliConfig(coord, null, Path.of(tls), name, src);
  }

  private static String first(String... vals) {
    for (String v : vals) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
