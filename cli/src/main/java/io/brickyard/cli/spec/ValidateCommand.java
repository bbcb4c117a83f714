package io.brickyard.cli.spec;

import io.brickyard.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code brickyard validate -f spec.yaml}: offline; every error with its field path; exit 2 if any. */
@Command(name = "validate", description = "Check a cluster spec without contacting any node.")
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecFileOption file;

  @Override
  public Integer call() {
    SpecFile.Loaded l = file.load();
    SpecFile.print(l, spec.commandLine().getErr());
    if (!l.result().ok()) {
      return ExitCodes.BAD_INPUT;
    }
    spec.commandLine().getOut().println(l.name() + ": valid (" + l.result().warnings().size() + " warning(s))");
    return ExitCodes.OK;
  }
}
