package io.brickyard.cli.apply;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.DeviceIdentity;
import io.brickyard.api.coordinator.v1.Drift;
import io.brickyard.common.storage.DiskText;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.PlanStep;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Prints a plan for people: per node then cluster-wide, each step with why and the exact commands. */
public final class PlanPrinter {
  private PlanPrinter() {}

  public static void print(PlanResponse p, PrintWriter out) {
    print(p, out, Set.of());
  }

  /**
   * The plan's spec errors found against the live cluster (a volume shape gluster cannot reach,
   * docs/day2.md), one "error: path: message" line each on {@code err}; whether there were any.
   */
  public static boolean printInvalid(PlanResponse p, PrintWriter err) {
    if (!p.hasValidation() || p.getValidation().getValid()) {
      return false;
    }
    p.getValidation().getIssuesList().stream().filter(i -> !i.getWarning())
        .forEach(i -> err.println("error: " + i.getPath() + ": " + i.getMessage()));
    err.println("Nothing was run: the spec asks for a shape gluster cannot reach from the cluster as it is.");
    err.flush();
    return true;
  }

  /** As {@link #print(PlanResponse, PrintWriter)}, leaving out the spec warnings the CLI already printed. */
  public static void print(PlanResponse p, PrintWriter out, Set<String> shownWarnings) {
    for (NodeView n : p.getNodesList()) {
      if (!n.getReachable()) {
        out.println("! node " + n.getName() + " (" + n.getAddress() + ") is UNREACHABLE: " + n.getError());
      }
    }
    for (String w : p.getWarningsList()) {
      if (!shownWarnings.contains(w)) {
        out.println("warning: " + w);
      }
    }
    for (Drift d : p.getUnmanagedList()) {
      out.println("drift: " + d.getDescription() + ": " + d.getAction());
    }
    if (p.getStepsCount() == 0) {
      out.println("No changes: the cluster matches the spec.");
      out.flush();
      return;
    }
    Map<String, List<PlanStep>> byNode = new LinkedHashMap<>();
    p.getStepsList().forEach(s -> byNode.computeIfAbsent(s.getNode(), k -> new java.util.ArrayList<>()).add(s));
    int n = 0;
    for (var e : byNode.entrySet()) {
      out.println(e.getKey().equals("cluster") ? "cluster-wide:" : "node " + e.getKey() + ":");
      for (PlanStep s : e.getValue()) {
        n++;
        String mark = mark(s);
        out.printf("  %2d. [%s] %s%n", n, mark, s.getDescription());
        out.println("      why: " + (s.getRefused() ? s.getRefusedReason() : s.getReason()));
        if (s.hasDevice()) {
          out.println("      device: " + device(s.getDevice()));
        }
        for (CommandRecord c : s.getCommandsList()) {
          out.println("      $ " + String.join(" ", c.getArgvList()));
        }
      }
    }
    if (p.getStepsList().stream().anyMatch(PlanStep::getDestructive)) {
      out.println("DESTROYS DATA steps run only from this reviewed plan: check each device above, then"
          + " brickyard apply --plan-fingerprint " + p.getFingerprint() + " (or answer y to apply's prompt).");
    }
    long refused = p.getStepsList().stream().filter(PlanStep::getRefused).count();
    out.printf("Plan: %d step(s) to run%s. Fingerprint %s%n", p.getStepsCount() - refused,
        refused > 0 ? ", " + refused + " REFUSED (apply will not run anything)" : "", p.getFingerprint());
    out.flush();
  }

  /**
   * From the step's state. A CHANGE step without commands is still a change: a cluster-wide step
   * such as a virtual IP move acts on several nodes and lists no single argv in the plan. Only a
   * step without a state (a coordinator older than the state field) is judged by its commands.
   */
  static String mark(PlanStep s) {
    if (s.getRefused() || s.getState() == PlanStep.State.REFUSED) {
      return "REFUSED";
    }
    if (s.getDestructive()) {
      return "DESTROYS DATA";
    }
    return switch (s.getState()) {
      case PENDING -> "pending";
      case CHANGE -> "change";
      case CONVERGED -> "converged";
      default -> s.getCommandsCount() == 0 ? "pending" : "change";
    };
  }

  /** "/dev/sdb = sdb, QEMU HARDDISK, serial QM00002, 4.0 GiB, signatures: ext4 at 0x438; digest 1a2b..." */
  static String device(DeviceIdentity d) {
    return d.getPath() + " = " + DiskText.describe(d) + "; digest " + d.getDigest().substring(0, Math.min(16, d.getDigest().length()));
  }
}
