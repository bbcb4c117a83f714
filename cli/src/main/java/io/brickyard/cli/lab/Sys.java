package io.brickyard.cli.lab;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's command helper: argv lists through the shared runner, with "inside host X" variants
 * that prefix {@code nsenter} for that host's mount, network and UTS namespaces.
 */
final class Sys {
  private final CommandRunner runner;

  Sys(CommandRunner runner) {
    this.runner = runner;
  }

  CommandResult run(String... argv) {
    return runner.run(Command.of(argv).withTimeout(Duration.ofSeconds(60)));
  }

  /** Runs and fails the lab step with the command's stderr. */
  CommandResult must(String... argv) {
    CommandResult r = run(argv);
    if (!r.ok()) {
      throw new LabException(r.failureMessage());
    }
    return r;
  }

  CommandResult mustIn(LabHost h, String... argv) {
    return must(in(h, argv).toArray(String[]::new));
  }

  CommandResult runIn(LabHost h, String... argv) {
    return run(in(h, argv).toArray(String[]::new));
  }

  /** {@code nsenter --mount=... --net=... --uts=... -- argv}: nsenter execs argv, so pids are preserved. */
  static List<String> in(LabHost h, String... argv) {
    List<String> l = new ArrayList<>(List.of("nsenter", "--mount=" + h.mountNs(), "--net=" + h.netNsPath(),
        "--uts=" + h.utsNs(), "--"));
    l.addAll(List.of(argv));
    return l;
  }
}
