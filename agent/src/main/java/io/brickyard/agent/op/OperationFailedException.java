package io.brickyard.agent.op;

/** An operation failed for a reason other than a command's exit code (I/O, parse error). */
public class OperationFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OperationFailedException(String message) {
    super(message);
  }

  public OperationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
