package io.brickyard.cli.config;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Mixin: {@code -o text|json}, for people and for scripts. */
public final class OutputOptions {
  /**
   * Every {@code -o json} output prints empty lists, false and zero values too (proto3 leaves
   * defaults out): a script reading {@code .steps} of a plan with nothing to do must find [], not
   * no key at all.
   */
  private static final JsonFormat.Printer JSON = JsonFormat.printer().includingDefaultValueFields();

  @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
  String output;

  /** True for json; throws a bad-input error for anything but text or json. */
  public boolean json() {
    if (!output.equals("text") && !output.equals("json")) {
      throw new IllegalArgumentException("--output: expected text or json, got '" + output + "'");
    }
    return output.equals("json");
  }

  /** The one way the CLI prints JSON. */
  public static void printJson(MessageOrBuilder m, PrintWriter out) throws InvalidProtocolBufferException {
    out.println(JSON.print(m));
  }
}
