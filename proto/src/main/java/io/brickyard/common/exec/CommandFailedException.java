package io.brickyard.common.exec;

/** A command exited non-zero or timed out; carries the full result for error reporting. */
public class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient CommandResult result;

  public CommandFailedException(CommandResult result) {
    super(result.failureMessage());
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }
}
