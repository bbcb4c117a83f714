package io.brickyard.cli.lab;

import io.brickyard.cli.UserException;

/** A lab step failed; the message says which and why. */
public final class LabException extends UserException {
  private static final long serialVersionUID = 1L;

  public LabException(int exitCode, String message) {
    super(exitCode, message);
  }

  public LabException(String message) {
    super(io.brickyard.cli.ExitCodes.FAILURE, message);
  }
}
