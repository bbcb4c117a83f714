package io.brickyard.cli.apply;

import com.google.protobuf.util.JsonFormat;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFile;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard plan -f spec.yaml [-o json]}: what apply would do, on which node, and why.
 * Exit 0 = a plan (with or without changes), 1 = some step refused, 2 = invalid spec.
 */
@Command(name = "plan", description = "Show the steps that would make the cluster match the spec (changes nothing).")
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  @Option(names = {"-f", "--file"}, required = true, description = "The spec (YAML), or - for stdin.")
  Path file;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    boolean json = output.json();
    SpecFile.Loaded l = SpecFile.loadValid(file, spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    PlanResponse p;
    try {
      p = conn.stub(ch).plan(SpecRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    if (json) {
      spec.commandLine().getOut().println(JsonFormat.printer().print(p));
    } else {
      PlanPrinter.print(p, spec.commandLine().getOut(), l.warningTexts());
    }
    spec.commandLine().getOut().flush();
    return p.getBlocked() ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
