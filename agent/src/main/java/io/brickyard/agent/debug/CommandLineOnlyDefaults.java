package io.brickyard.agent.debug;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's properties-file defaults for the agent, except for {@value InsecureDebugMode#FLAG}:
 * a file that sets it is refused (exit 2), so that no configuration file, however it got there,
 * can turn authentication off; only a command line typed by hand can.
 */
public final class CommandLineOnlyDefaults implements IDefaultValueProvider {
  private final CommandLine.PropertiesDefaultProvider files = new CommandLine.PropertiesDefaultProvider();

  @Override
  public String defaultValue(ArgSpec arg) throws Exception {
    String v = files.defaultValue(arg);
    if (v != null && arg instanceof OptionSpec o && o.longestName().equals(InsecureDebugMode.FLAG)) {
      throw new CommandLine.ParameterException(arg.command().commandLine(), InsecureDebugMode.FLAG
          + " was found in " + file(arg.command().name())
          + ": it is only taken from a command line typed by hand, never from a configuration file");
    }
    return v;
  }

  /** Where picocli's PropertiesDefaultProvider looks for {@code command}'s defaults. */
  static Path file(String command) {
    String p = System.getProperty("picocli.defaults." + command + ".path");
    return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), "." + command + ".properties");
  }
}
