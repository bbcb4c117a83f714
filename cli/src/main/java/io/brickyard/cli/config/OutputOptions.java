package io.brickyard.cli.config;

import picocli.CommandLine.Option;

/** Mixin: {@code -o text|json}, for people and for scripts. */
public final class OutputOptions {
  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
  String output;

  /** True for json; throws a bad-input error for anything but text or json. */
  public boolean json() {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("--output: expected text or json, got '" + output + "'");
    }
    return output.equals("json");
  }
}
