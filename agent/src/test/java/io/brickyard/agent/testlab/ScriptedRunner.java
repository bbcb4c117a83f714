package io.brickyard.agent.testlab;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake runner for unit tests of command building and decision logic: answers are keyed by the
 * argv joined with spaces (exact match), served in order (the last one repeats), and every argv
 * run is recorded. An unscripted command fails the test loudly instead of guessing an answer.
 * The answers themselves are real outputs captured from the tools (see {@link #fixture}).
 * Thread-safe (code under test may run independent reads side by side); {@link #ran} is then in
 * completion order.
 */
public final class ScriptedRunner implements CommandRunner {
  private final Map<String, Deque<Answer>> answers = new LinkedHashMap<>();
  private final List<List<String>> ran = new ArrayList<>();

  public record Answer(int exitCode, String stdout, String stderr) {}

  public ScriptedRunner on(String argv, int exitCode, String stdout, String stderr) {
    answers.computeIfAbsent(argv, k -> new ArrayDeque<>()).add(new Answer(exitCode, stdout, stderr));
    return this;
  }

  public ScriptedRunner ok(String argv, String stdout) {
    return on(argv, 0, stdout, "");
  }

  @Override
  public synchronized CommandResult run(Command command) {
    ran.add(command.argv());
    String key = String.join(" ", command.argv());
    Deque<Answer> q = answers.get(key);
    if (q == null || q.isEmpty()) {
      throw new AssertionError("unscripted command: " + key);
    }
    Answer a = q.size() > 1 ? q.poll() : q.peek();
    return new CommandResult(command, a.exitCode(), a.stdout(), a.stderr(), Duration.ofMillis(1), false);
  }

  public synchronized List<List<String>> ran() {
    return List.copyOf(ran);
  }

  public synchronized List<String> ranJoined() {
    return ran.stream().map(a -> String.join(" ", a)).toList();
  }

  /** A captured real output under src/test/resources/fixtures/ (one loader for all agent tests). */
  public static String fixture(String path) {
    return io.brickyard.agent.Fixtures.read(path);
  }
}
