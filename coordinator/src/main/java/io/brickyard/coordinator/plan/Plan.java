package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.coordinator.v1.Drift;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.PlanStep;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.spec.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The outcome of planning: every step with its state (in an order where each step comes after
 * the steps it depends on), the nodes as seen, what the cluster has that the spec does not
 * describe, the NFS nodes as read while planning, and a fingerprint.
 */
public record Plan(ClusterSpec spec, List<PlannedStep> steps, List<NodeView> nodes, List<String> warnings,
    ValidationReport validation, List<Drift> unmanaged, NfsFacts nfs) {

  public Plan {
    steps = List.copyOf(steps);
    unmanaged = List.copyOf(unmanaged);
  }

  /** A plan with nothing unmanaged found and no NFS service (tests, warm-up). */
  public Plan(ClusterSpec spec, List<PlannedStep> steps, List<NodeView> nodes, List<String> warnings,
      ValidationReport validation) {
    this(spec, steps, nodes, warnings, validation, List.of(), NfsFacts.none());
  }

  public boolean blocked() {
    return !validation.getValid() || steps.stream().anyMatch(s -> s.state() == PlannedStep.State.REFUSED);
  }

  public List<PlannedStep> toRun() {
    return steps.stream().filter(PlannedStep::runs).toList();
  }

  /** Steps that will erase data: the spec allows a wipe and the dry run would run wipefs. */
  public List<PlannedStep> erasing() {
    return steps.stream().filter(Plan::erases).toList();
  }

  private static boolean erases(PlannedStep s) {
    return s.step().wipe() && s.runs() && s.dryRun() != null && s.dryRun().getCommandsList().stream()
        .anyMatch(c -> c.getArgvCount() > 0 && c.getArgv(0).equals("wipefs"));
  }

  /** The first refused step, for the one-line reason an apply gives when it runs nothing. */
  public java.util.Optional<PlannedStep> firstRefused() {
    return steps.stream().filter(s -> s.state() == PlannedStep.State.REFUSED).findFirst();
  }

  /**
   * SHA-256 over the spec and everything the plan saw: each step's state, the exact commands its
   * dry run reported and, for device steps, the digest of the device it found (which disk, which
   * signatures), and which nodes were unreachable. If the cluster changes so that the plan would
   * differ, or a device name now points at another disk, so does the fingerprint. (What the spec does not
   * describe is left out: apply leaves it alone, so it cannot change what apply does.)
   */
  public String fingerprint() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(spec.sha256().getBytes(StandardCharsets.UTF_8));
      for (NodeView n : nodes) {
        md.update((n.getName() + "=" + n.getReachable() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (PlannedStep s : steps) {
        StringBuilder sb = new StringBuilder(s.step().id()).append('|').append(s.state());
        if (s.dryRun() != null) {
          for (CommandRecord c : s.dryRun().getCommandsList()) {
            sb.append('|').append(String.join(" ", c.getArgvList()));
          }
          if (s.dryRun().hasDevice()) {
            sb.append("|device=").append(s.dryRun().getDevice().getDigest());
          }
        }
        md.update((sb + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public PlanResponse toProto() {
    return toProto(false);
  }

  /** The plan for the CLI; {@code includeConverged}: also the steps already true (to draw the whole graph). */
  public PlanResponse toProto(boolean includeConverged) {
    PlanResponse.Builder b = PlanResponse.newBuilder().setValidation(validation).addAllWarnings(warnings)
        .addAllNodes(nodes).setBlocked(blocked()).setFingerprint(fingerprint()).addAllUnmanaged(unmanaged);
    for (PlannedStep s : steps) {
      if (s.state() == PlannedStep.State.CONVERGED && !includeConverged) {
        continue;
      }
      Step st = s.step();
      boolean destructive = erases(s);
      PlanStep.Builder p = PlanStep.newBuilder().setId(st.id()).setNode(st.node()).setPhase(st.key().phase())
          .setAction(st.action()).setDescription(st.description()).setReason(s.reason())
          .setDestructive(destructive).setRefused(s.state() == PlannedStep.State.REFUSED)
          .setState(PlanStep.State.valueOf(s.state().name()));
      st.dependencies().forEach(k -> p.addDependsOn(k.id()));
      st.needs().forEach(k -> p.addNeeds(k.id()));
      if (s.waitsFor() != null) {
        p.setWaitsFor(s.waitsFor().id());
      }
      if (s.state() == PlannedStep.State.REFUSED) {
        p.setRefusedReason(s.reason());
      }
      if (s.dryRun() != null) {
        p.addAllCommands(s.dryRun().getCommandsList());
        if (s.dryRun().hasDevice()) {
          p.setDevice(s.dryRun().getDevice());
        }
      }
      b.addSteps(p);
    }
    return b.build();
  }
}
