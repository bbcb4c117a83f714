package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.OperationResult;

/**
 * A step and what planning learned about it. CHANGE: the agent's dry run says it would change
 * something (and which commands); PENDING: an earlier step it depends on will change first, so it
 * is checked when applied; REFUSED: it cannot run (unsafe, unreachable node, bad request);
 * CONVERGED: already true, nothing to do.
 */
public record PlannedStep(Step step, State state, OperationResult dryRun, String reason) {
  public enum State { CHANGE, PENDING, REFUSED, CONVERGED }

  public boolean runs() {
    return state == State.CHANGE || state == State.PENDING;
  }
}
