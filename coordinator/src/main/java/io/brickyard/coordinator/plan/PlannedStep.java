package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.OperationResult;

/**
 * A step and what planning learned about it. CHANGE: the agent's dry run says it would change
 * something (and which commands); PENDING: a step it needs changes first ({@code waitsFor}, the
 * changing step at the root), so it is checked when applied; REFUSED: it cannot run (unsafe,
 * unreachable node, bad request); CONVERGED: already true, nothing to do.
 */
public record PlannedStep(Step step, State state, OperationResult dryRun, String reason, StepKey waitsFor) {
  public enum State { CHANGE, PENDING, REFUSED, CONVERGED }

  public PlannedStep(Step step, State state, OperationResult dryRun, String reason) {
    this(step, state, dryRun, reason, null);
  }

  public boolean runs() {
    return state == State.CHANGE || state == State.PENDING;
  }
}
