package io.brickyard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the real CLI in-process and captures exit code, stdout and stderr. The command line is built
 * as main() builds it ({@link BrickyardCli#commandLineFor}: only the named subcommand's model).
 */
public record CliRun(int code, String out, String err) {
  public static CliRun of(String... args) {
    CommandLine cl = BrickyardCli.commandLineFor(args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
