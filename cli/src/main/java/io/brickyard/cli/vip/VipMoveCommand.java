package io.brickyard.cli.vip;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.coordinator.v1.MoveVipRequest;
import io.brickyard.api.coordinator.v1.MoveVipResponse;
import io.brickyard.api.coordinator.v1.VipMove;
import io.brickyard.api.coordinator.v1.VipMoveStep;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.brickyard.common.net.IpAddress;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard vip move ADDRESS --to NODE -f spec.yaml [--dry-run] [-o json|yaml]}: moves one virtual
 * IP to another NFS node of the spec, and prints the move's timeline. The coordinator does the move
 * (release, confirmed, before the new holder adds and announces it, then grace so NFSv4 clients
 * reclaim) and journals it; which addresses and nodes are valid is its call, from the spec sent
 * with the request (an unknown address or node comes back as INVALID_ARGUMENT: exit 2). Exit 1
 * when the move failed: the timeline shows how far it got.
 */
@Command(name = "move", description = "Move a virtual IP to another NFS node: the old holder releases it before the new one "
    + "takes it and announces it; NFSv4 clients reclaim their state in a grace period. Journaled (see 'brickyard history').")
public final class VipMoveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "The virtual IP, as in the spec's nfs.vips but without its prefix, "
      + "e.g. 10.77.0.201.")
  String address;

  @Option(names = "--to", required = true, paramLabel = "NODE", description = "The NFS node to move it to.")
  String toNode;

  @Option(names = "--dry-run", description = "Show what the move would run; change nothing.")
  boolean dryRun;

  /** A move is a few seconds (duplicate address probe, announcements, grace); the default timeout is for quick reads. */
  static final long MIN_DEADLINE_SECONDS = 120;

  @Override
  public Integer call() throws Exception {
    boolean structured = output.structured();
    checkAddress(address);
    if (toNode.isBlank()) {
      throw new UserException(ExitCodes.BAD_INPUT, "--to: name the NFS node to move " + address + " to");
    }
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    MoveVipResponse r;
    try {
      r = conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), MIN_DEADLINE_SECONDS), TimeUnit.SECONDS)
          .moveVip(MoveVipRequest.newBuilder().setSpecYaml(l.yaml()).setSourceName(l.name()).setAddress(address)
              .setToNode(toNode).setDryRun(dryRun).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (structured) {
      output.print(r, out);
    } else {
      print(r, dryRun, out);
    }
    out.flush();
    return r.getMove().getError().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /**
   * The address goes to the coordinator as an IPv4 literal (four decimal octets, no leading zeros):
   * the same strict parser as the spec's, so nothing the spec could not name is sent. A prefix is
   * refused rather than dropped: it names no other address, but it suggests a confusion worth a word.
   */
  static void checkAddress(String a) {
    int slash = a.indexOf('/');
    if (slash >= 0 && IpAddress.parseV4(a.substring(0, slash)) != null) {
      throw new UserException(ExitCodes.BAD_INPUT, "ADDRESS: give the virtual IP without its prefix: "
          + a.substring(0, slash) + ", not " + a);
    }
    if (IpAddress.parseV4(a) == null) {
      throw new UserException(ExitCodes.BAD_INPUT, "ADDRESS: '" + a + "' is not an IPv4 address "
          + "(four decimal octets without leading zeros, e.g. 10.77.0.201)");
    }
  }

  /** The timeline, one line per step ("    12 ms  gluster1  release 10.77.0.201 (35 ms)"), then one summary line. */
  static void print(MoveVipResponse r, boolean dryRun, PrintWriter out) {
    VipMove m = r.getMove();
    for (VipMoveStep s : m.getStepsList()) {
      out.println(step(s));
      if (dryRun) {
        for (CommandRecord c : s.getCommandsList()) {
          out.println("             $ " + String.join(" ", c.getArgvList()));
        }
      }
    }
    out.println(summary(m, r.getJournalId(), dryRun));
  }

  static String step(VipMoveStep s) {
    return String.format("%6d ms  %-10s %s (%d ms)%s", s.getStartedMillis(), s.getNode(), s.getWhat(), s.getElapsedMillis(),
        s.getChanged() ? "" : " unchanged");
  }

  static String summary(VipMove m, String journalId, boolean dryRun) {
    String from = m.getFromNode().isEmpty() ? "(held by no node)" : m.getFromNode();
    String journal = journalId.isEmpty() ? "" : " (journal " + journalId + ")";
    String took = String.format("%.2f s", m.getElapsedMillis() / 1000.0);
    if (!m.getError().isEmpty()) {
      return m.getAddress() + " move " + from + " -> " + m.getToNode() + " FAILED after " + took + journal + ": " + m.getError();
    }
    if (!m.getChanged()) {
      return m.getAddress() + " already on " + m.getToNode() + journal;
    }
    if (dryRun) {
      return m.getAddress() + " would move " + from + " -> " + m.getToNode() + " (dry run: nothing changed)";
    }
    return m.getAddress() + " moved " + from + " -> " + m.getToNode() + " in " + took + journal;
  }
}
