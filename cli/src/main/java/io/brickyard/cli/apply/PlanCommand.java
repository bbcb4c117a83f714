package io.brickyard.cli.apply;

import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard plan -f spec.yaml [-o json|yaml | --graph]}: what apply would do, on which node, and
 * why; or the whole step graph as Graphviz DOT. Exit 0 = a plan (with or without changes), 1 = some
 * step refused, 2 = invalid spec.
 */
@Command(name = "plan", description = "Show the steps that would make the cluster match the spec (changes nothing).")
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  @Mixin SpecFileOption file;

  @Mixin OutputOptions output;

  @Option(names = "--graph", description = "Print every step (also those already true) and its dependencies as a "
      + "Graphviz DOT graph, e.g. | dot -Tsvg > plan.svg.")
  boolean graph;

  @Option(names = "--move-vips", description = "Plan to move every virtual IP held away from its home node back home "
      + "(without it such a VIP is reported as drift and left where it is: a move interrupts its clients for a moment).")
  boolean moveVips;

  @Override
  public Integer call() throws Exception {
    boolean structured = output.structured();
    if (structured && graph) {
      throw new IllegalArgumentException("--graph: prints DOT; it cannot be combined with -o json or yaml");
    }
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    PlanResponse p;
    try {
      p = conn.stub(ch).plan(SpecRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name())
          .setIncludeConverged(graph).setMoveVips(moveVips).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!structured && PlanPrinter.printInvalid(p, spec.commandLine().getErr())) {
      return ExitCodes.BAD_INPUT;
    }
    if (graph) {
      PlanGraph.print(p, out);
    } else if (structured) {
      output.print(p, out);
    } else {
      PlanPrinter.print(p, out, l.warningTexts());
    }
    out.flush();
    if (p.hasValidation() && !p.getValidation().getValid()) {
      return ExitCodes.BAD_INPUT;
    }
    return p.getBlocked() ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
