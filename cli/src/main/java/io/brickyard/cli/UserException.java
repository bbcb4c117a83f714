package io.brickyard.cli;

/** An error the user can act on: printed as one line, never with a stack trace. */
public class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public UserException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
