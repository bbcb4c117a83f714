package io.brickyard.cli.apply;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard apply -f spec.yaml [--yes]}: shows the plan, asks, then makes it so with live
 * progress. What runs is exactly what was shown: the plan's fingerprint goes with the request and
 * the coordinator refuses if the cluster changed in between.
 */
@Command(name = "apply", description = "Make the cluster match the spec: plan, confirm, run with live progress.")
public final class ApplyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  @Mixin SpecFileOption file;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--plan-fingerprint", description = "Run only if the plan still has this fingerprint (from 'brickyard plan').")
  String fingerprint;

  @Option(names = "--step-timeout", defaultValue = "300", description = "Deadline per step, seconds (default ${DEFAULT-VALUE}).")
  int stepTimeout;

  @Option(names = "--move-vips", description = "Also move every virtual IP held away from its home node back home "
      + "(without it such a VIP is left where it is and reported as drift: a move interrupts its clients for a moment).")
  boolean moveVips;

  @Mixin ProgressOption progress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    // Connect first: the TLS handshake runs on the channel's event loop while this thread parses and
    // validates the spec (~0.25 s of YAML). An invalid spec still stops everything before any RPC,
    // and its errors come before a connection problem's.
    ManagedChannel ch;
    RuntimeException connectError = null;
    try {
      ch = conn.open();
      ch.getState(true);
    } catch (RuntimeException e) {
      ch = null;
      connectError = e;
    }
    SpecFile.Loaded l;
    try {
      l = file.loadValid(spec.commandLine().getErr());
    } catch (Exception e) {
      if (ch != null) {
        ConnectionOptions.close(ch);
      }
      throw e;
    }
    if (connectError != null) {
      throw connectError;
    }
    try {
      String expected = fingerprint;
      if (expected == null && yes) {
        // No one to confirm: the coordinator plans once and streams the plan before running it.
        return run(ch, l, "", out, true);
      }
      if (expected == null) {
        PlanResponse p = conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), 300), TimeUnit.SECONDS)
            .plan(SpecRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).setMoveVips(moveVips).build());
        if (PlanPrinter.printInvalid(p, spec.commandLine().getErr())) {
          return ExitCodes.BAD_INPUT;
        }
        PlanPrinter.print(p, out, l.warningTexts());
        if (p.getBlocked()) {
          return ExitCodes.FAILURE;
        }
        if (p.getStepsCount() == 0) {
          out.println("Apply: 0 changes.");
          return ExitCodes.OK;
        }
        if (!yes && !confirm(out)) {
          out.println("Nothing was run.");
          return ExitCodes.FAILURE;
        }
        expected = p.getFingerprint();
      }
      return run(ch, l, expected, out, fingerprint != null);
    } finally {
      ConnectionOptions.close(ch);
    }
  }

  private int run(ManagedChannel ch, SpecFile.Loaded l, String expected, PrintWriter out, boolean printPlan) {
    Progress prog = Progress.forOutput(out, progress.redraw());
    Iterator<ApplyEvent> events = conn.stub(ch).withDeadlineAfter(6, TimeUnit.HOURS)
        .apply(ApplyRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).setExpectedFingerprint(expected)
            .setStepTimeoutSeconds(stepTimeout).setMoveVips(moveVips).build());
    ApplySummary summary = null;
    while (events.hasNext()) {
      ApplyEvent e = events.next();
      if (e.hasStep()) {
        prog.event(e.getStep());
      } else if (e.hasSummary()) {
        summary = e.getSummary();
      } else if (e.hasPlan() && PlanPrinter.printInvalid(e.getPlan(), spec.commandLine().getErr())) {
        continue; // the coordinator ends the call with INVALID_ARGUMENT: exit 2
      } else if (e.hasPlan() && printPlan) {
        PlanPrinter.print(e.getPlan(), out, l.warningTexts());
        if (e.getPlan().getStepsCount() == 0) {
          out.println("Apply: 0 changes.");
        }
      }
    }
    prog.finish();
    if (summary == null) {
      throw new UserException(ExitCodes.FAILURE, "the coordinator ended the apply without a summary");
    }
    if (summary.getChanged() + summary.getUnchanged() + summary.getFailed() + summary.getSkipped() == 0 && summary.getSuccess()) {
      out.flush();
      return ExitCodes.OK; // nothing to do: "0 changes" was printed with the plan
    }
    out.printf("Apply %s: %d changed, %d unchanged, %d failed, %d skipped in %.1f s (journal %s)%n",
        summary.getSuccess() ? "complete" : "FAILED", summary.getChanged(), summary.getUnchanged(), summary.getFailed(),
        summary.getSkipped(), summary.getElapsedMillis() / 1000.0, summary.getJournalId());
    if (!summary.getSuccess()) {
      out.println("error: " + summary.getError());
      out.println("Every step is check-then-act: fix the cause and run apply again to converge.");
    }
    out.flush();
    return summary.getSuccess() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private boolean confirm(PrintWriter out) throws java.io.IOException {
    if (System.console() == null && System.in.available() <= 0) {
      throw new UserException(ExitCodes.BAD_INPUT, "not a terminal: pass --yes to apply without confirmation");
    }
    out.print("Apply these steps? [y/N] ");
    out.flush();
    String a = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return a != null && (a.trim().equalsIgnoreCase("y") || a.trim().equalsIgnoreCase("yes"));
  }
}
