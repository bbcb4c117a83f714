package io.brickyard.cli.spec;

import io.brickyard.cli.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code brickyard validate -f spec.yaml}: offline; every error with its field path; exit 2 if any. */
@Command(name = "validate", description = "Check a cluster spec without contacting any node.")
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-f", "--file"}, required = true, description = "The spec (YAML), or - for stdin.")
  Path file;

  @Override
  public Integer call() {
    SpecFile.Loaded l = SpecFile.load(file);
    SpecFile.print(l, spec.commandLine().getErr());
    if (!l.result().ok()) {
      return ExitCodes.BAD_INPUT;
    }
    spec.commandLine().getOut().println(l.name() + ": valid (" + l.result().warnings().size() + " warning(s))");
    return ExitCodes.OK;
  }
}
