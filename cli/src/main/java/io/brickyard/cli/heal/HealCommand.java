package io.brickyard.cli.heal;

import io.brickyard.api.agent.v1.BrickHealInfo;
import io.brickyard.api.agent.v1.HealEntry;
import io.brickyard.api.coordinator.v1.HealRequest;
import io.brickyard.api.coordinator.v1.HealResponse;
import io.brickyard.api.coordinator.v1.SplitBrainResolution;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard heal VOLUME [--info | --split-brain] [-o json|yaml]}: what a volume has left to
 * heal, per brick with the entries; with {@code --split-brain} the entries no self-heal resolves,
 * each with gluster's resolution commands (bigger-file, latest-mtime, source-brick), shown and
 * never run. Exit 0 whatever it finds (it is a read); 1 when no node answers.
 */
@Command(name = "heal", description = "What a volume has left to heal, per brick with its entries (--info, the default), or "
    + "the entries in split-brain with gluster's resolution commands for each (--split-brain): shown, never run.")
public final class HealCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "VOLUME", description = "The volume.")
  String volume;

  static final class Mode {
    @Option(names = "--info", description = "Entries pending heal per brick (the default).")
    boolean info;

    @Option(names = "--split-brain", description = "Entries in split-brain, with the commands that would resolve each.")
    boolean splitBrain;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Mode mode;

  @Override
  public Integer call() throws Exception {
    boolean structured = output.structured();
    boolean sb = mode != null && mode.splitBrain;
    ManagedChannel ch = conn.open();
    HealResponse r;
    try {
      r = conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), 180), TimeUnit.SECONDS)
          .heal(HealRequest.newBuilder().setVolume(volume).setSplitBrain(sb).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (structured) {
      output.print(r, out);
    } else {
      print(r, out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  static void print(HealResponse r, PrintWriter out) {
    boolean sb = r.getInfo().getSplitBrain();
    long total = 0;
    for (BrickHealInfo b : r.getInfo().getBricksList()) {
      String n = b.getEntries() < 0 ? "?" : Long.toString(b.getEntries());
      out.printf("%-45s %-10s %s %s%n", b.getBrick(), b.getStatus(), n, sb ? "in split-brain" : "pending heal");
      for (HealEntry f : b.getFilesList()) {
        out.println("    " + f.getPath());
      }
      total += Math.max(0, b.getEntries());
    }
    if (!sb) {
      out.println(total == 0 ? "Nothing to heal." : total + " entries to heal; the self-heal daemon works on them"
          + " (brickyard heal " + r.getInfo().getVolume() + " --split-brain lists those it cannot).");
      return;
    }
    if (r.getResolutionsCount() == 0) {
      out.println("No split-brain.");
      return;
    }
    out.println();
    out.println("To resolve an entry, look at its copies on the bricks above, then run ONE of (brickyard runs none):");
    for (SplitBrainResolution s : r.getResolutionsList()) {
      out.println("  " + s.getPath() + ":");
      s.getCommandsList().forEach(c -> out.println("    " + c));
    }
    out.println("bigger-file and latest-mtime apply to files only; source-brick BRICK (without a path) takes that"
        + " brick's copy of every entry in split-brain.");
  }
}
