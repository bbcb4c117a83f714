package io.brickyard.agent.testlab;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Test helper around a real runner: records every command with its result (argv before any
 * nsenter prefix, exit code, duration), and can pretend some programs are not installed (exit
 * 127, as ProcessRunner and nsenter report a missing program) to drive a fallback path against
 * real daemons.
 */
public final class RecordingRunner implements CommandRunner {
  private final CommandRunner delegate;
  private final Set<String> missing;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  /** The command as the capability built it (before a wrapped runner's prefix) and what it did. */
  public record Call(Command command, CommandResult result) {
    public String program() {
      return command.argv().get(0);
    }
  }

  public RecordingRunner(CommandRunner delegate, String... missingPrograms) {
    this.delegate = delegate;
    this.missing = Set.of(missingPrograms);
  }

  @Override
  public CommandResult run(Command command) {
    CommandResult r = missing.contains(command.argv().get(0))
        ? new CommandResult(command, 127, "", "cannot execute: " + command.argv().get(0) + ": not installed (test)",
            Duration.ZERO, false)
        : delegate.run(command);
    calls.add(new Call(command, r));
    return r;
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** The programs run, in order ("busctl", "firewall-cmd", ...). */
  public List<String> programs() {
    return calls().stream().map(Call::program).toList();
  }

  /** "busctl: 7 call(s), 41 ms total, 5 ms each" per program, for timing reports. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    calls().stream().map(Call::program).distinct().forEach(p -> {
      List<Call> cs = calls().stream().filter(c -> c.program().equals(p)).toList();
      long ms = cs.stream().mapToLong(c -> c.result().duration().toMillis()).sum();
      sb.append(sb.length() == 0 ? "" : "; ").append(p).append(": ").append(cs.size()).append(" call(s), ")
          .append(ms).append(" ms total, ").append(ms / cs.size()).append(" ms each");
    });
    return sb.toString();
  }
}
