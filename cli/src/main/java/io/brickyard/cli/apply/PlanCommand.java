package io.brickyard.cli.apply;

import com.google.protobuf.util.JsonFormat;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard plan -f spec.yaml [-o json]}: what apply would do, on which node, and why.
 * Exit 0 = a plan (with or without changes), 1 = some step refused, 2 = invalid spec.
 */
@Command(name = "plan", description = "Show the steps that would make the cluster match the spec (changes nothing).")
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  @Mixin SpecFileOption file;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    boolean json = output.json();
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
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
