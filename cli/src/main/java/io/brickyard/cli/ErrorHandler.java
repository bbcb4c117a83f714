package io.brickyard.cli;

import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import picocli.CommandLine;

/**
 * Turns every failure into one clear line on stderr and an exit code: 2 for bad input, 1 for a
 * failed operation. Stack traces only with BRICKYARD_DEBUG=1.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parse) {
    int code;
    String msg;
    if (ex instanceof UserException u) {
      code = u.exitCode();
      msg = u.getMessage();
    } else if (ex instanceof TlsFiles.TlsConfigException t) {
      code = ExitCodes.BAD_INPUT;
      msg = t.getMessage();
    } else if (ex instanceof StatusRuntimeException s) {
      code = s.getStatus().getCode() == Status.Code.INVALID_ARGUMENT || s.getStatus().getCode() == Status.Code.NOT_FOUND
          ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
      msg = describe(s);
    } else if (ex instanceof IllegalArgumentException) {
      code = ExitCodes.BAD_INPUT;
      msg = ex.getMessage();
    } else {
      code = ExitCodes.FAILURE;
      msg = ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }
    cmd.getErr().println("brickyard: " + msg);
    if ("1".equals(System.getenv("BRICKYARD_DEBUG"))) {
      ex.printStackTrace(cmd.getErr());
    }
    return code;
  }

  static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    Throwable c = e.getCause();
    while (c != null && c.getCause() != null) {
      c = c.getCause();
    }
    String at = ConnectionOptions.lastTarget() == null ? "" : " at " + ConnectionOptions.lastTarget();
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE -> "cannot reach the coordinator" + at + ": " + reason(c, d)
          + " (is it running? see 'brickyard lab status' or 'systemctl status brickyard-coordinator')";
      case DEADLINE_EXCEEDED -> "the coordinator did not answer in time";
      case UNIMPLEMENTED -> "the coordinator does not implement this call (version mismatch?)";
      default -> d != null ? d : e.getStatus().getCode().toString();
    };
  }

  /** netty reports a missing Unix socket as a FileNotFoundException without a message. */
  private static String reason(Throwable cause, String description) {
    if (cause instanceof FileNotFoundException && cause.getMessage() == null) {
      return "no such socket";
    }
    if (cause instanceof AccessDeniedException || cause != null && cause.getMessage() != null
        && cause.getMessage().contains("Permission denied")) {
      return "permission denied (the local admin socket is for root; others use --coordinator HOST:PORT with an admin certificate)";
    }
    return cause != null && cause.getMessage() != null ? cause.getMessage() : description;
  }
}
