package io.brickyard.common.exec;

import java.time.Duration;

/** What a command did: exit code, captured output, how long it took, whether it timed out. */
public record CommandResult(
    Command command, int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {

  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }

  /** The last {@code max} characters, enough to explain a failure without shipping megabytes. */
  public static String tail(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : "..." + s.substring(s.length() - max);
  }

  /** One line for errors: the command, its exit code and the end of stderr (or stdout). */
  public String failureMessage() {
    String why = timedOut ? "timed out after " + command.timeout().toSeconds() + "s"
        : "exit code " + exitCode;
    String out = !stderr.isBlank() ? stderr : stdout;
    return command.display() + ": " + why + (out.isBlank() ? "" : ": " + tail(out.strip(), 2000));
  }
}
