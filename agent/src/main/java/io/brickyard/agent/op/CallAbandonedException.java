package io.brickyard.agent.op;

import io.grpc.Status;

/**
 * The caller gave up (its deadline passed, or it cancelled) while the call waited for a lock: the
 * agent did nothing. Carries CANCELLED or DEADLINE_EXCEEDED for {@link Rpcs} to answer.
 */
public final class CallAbandonedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Status status;

  CallAbandonedException(Status status) {
    super(status.getDescription());
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
