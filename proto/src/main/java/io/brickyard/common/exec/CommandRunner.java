package io.brickyard.common.exec;

/**
 * Runs commands. The production implementation is {@link ProcessRunner}; tests of command
 * building may record instead, but every capability is also tested against the real tools.
 */
public interface CommandRunner {
  CommandResult run(Command command);

  default CommandResult run(String... argv) {
    return run(Command.of(argv));
  }

  /** Runs and throws {@link CommandFailedException} on a non-zero exit or timeout. */
  default CommandResult runChecked(Command command) {
    CommandResult r = run(command);
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return r;
  }
}
