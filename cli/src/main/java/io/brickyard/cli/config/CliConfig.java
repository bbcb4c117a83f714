package io.brickyard.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the CLI finds the coordinator and its admin certificate. Precedence: command-line flag,
 * environment variable, then the first config file found: $BRICKYARD_CONFIG,
 * ~/.config/brickyard/config.properties (written by `brickyard lab up`), /etc/brickyard/cli.properties.
 */
public record CliConfig(String coordinator, Path tlsDir, String tlsName, Path source) {
  public static final String DEFAULT_COORDINATOR = "127.0.0.1:7444";

  public static Path userConfigFile() {
    return Path.of(System.getProperty("user.home"), ".config", "brickyard", "config.properties");
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
    String coord = first(flagCoordinator, env.get("BRICKYARD_COORDINATOR"), p.getProperty("coordinator"), DEFAULT_COORDINATOR);
    String tls = first(flagTlsDir == null ? null : flagTlsDir.toString(), env.get("BRICKYARD_TLS_DIR"),
        p.getProperty("tlsDir"), "/etc/brickyard/tls");
    String name = first(flagTlsName, env.get("BRICKYARD_TLS_NAME"), p.getProperty("tlsName"), "admin");
    return new CliConfig(coord, Path.of(tls), name, src);
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
