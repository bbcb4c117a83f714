package io.brickyard.agent.op;

/**
 * The agent will not do what was asked because it would be unsafe (a device with a signature and
 * no wipe, a mounted device, a brick on the root filesystem). Maps to FAILED_PRECONDITION: the
 * request is well-formed, the node's state forbids it.
 */
public class RefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RefusedException(String reason) {
    super(reason);
  }
}
