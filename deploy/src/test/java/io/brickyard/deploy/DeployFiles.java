package io.brickyard.deploy;

import io.brickyard.common.net.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Reads the deployment files (tests run with the module directory, deploy/, as working directory)
 * and what the daemons themselves declare, so the tests compare files against code, not against
 * values copied into the tests.
 */
final class DeployFiles {
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+):-(.*)}");
  /** KEY="value" with nothing systemd and sh would read differently (no $, `, \ or inner quotes). */
  static final Pattern SYSCONFIG_LINE = Pattern.compile("([A-Z_][A-Z0-9_]*)=\"([^\"$`\\\\]*)\"");

  private DeployFiles() {}

  static Path dir() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("systemd")) ? here : here.resolve("deploy");
  }

  static String read(String relative) {
    try {
      return Files.readString(dir().resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Variables of a sysconfig file, in order; throws on any line that is not comment, blank or KEY="value". */
  static Map<String, String> sysconfig(String name) {
    Map<String, String> vars = new LinkedHashMap<>();
    int n = 0;
    for (String line : read("sysconfig/" + name).split("\n")) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SYSCONFIG_LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalStateException("sysconfig/" + name + ":" + n + " is not KEY=\"value\": " + line);
      }
      vars.put(m.group(1), m.group(2));
    }
    return vars;
  }

  /** Environment variables a picocli command reads, from its {@code ${env:NAME:-default}} option defaults. */
  static Map<String, String> envDefaults(Class<?> command) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Field f : command.getDeclaredFields()) {
      Option o = f.getAnnotation(Option.class);
      if (o == null) {
        continue;
      }
      Matcher m = ENV_DEFAULT.matcher(o.defaultValue());
      if (m.matches()) {
        env.put(m.group(1), m.group(2));
      }
    }
    return env;
  }

  /** Port of an address:port default of a daemon's option read from the environment. */
  static int defaultPort(Class<?> command, String envVar) {
    String hp = envDefaults(command).get(envVar);
    if (hp == null) {
      throw new IllegalStateException(command.getSimpleName() + " reads no " + envVar);
    }
    return HostPort.parseListen(hp).port();
  }
}
