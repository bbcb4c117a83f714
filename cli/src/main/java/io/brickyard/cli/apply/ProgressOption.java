package io.brickyard.cli.apply;

import picocli.CommandLine.Option;

/**
 * {@code --progress} of every command that streams steps (apply, and the day-2 commands): one
 * definition, so the values and the terminal rule are the same everywhere, and a wrong value is a
 * usage error (exit 2) rather than a silent plain display.
 */
public final class ProgressOption {
  /** auto: redrawn when stdout is a terminal; tty: always redrawn; plain: one line per event. */
  public enum Mode { auto, tty, plain }

  @Option(names = "--progress", defaultValue = "auto", description = "${COMPLETION-CANDIDATES}: redrawn on a terminal "
      + "(auto, when stdout is one), or one line per event (plain) (default ${DEFAULT-VALUE}).")
  Mode mode = Mode.auto;

  /** Whether the display is redrawn in place. */
  public boolean redraw() {
    return mode == Mode.tty || mode == Mode.auto && System.console() != null;
  }
}
