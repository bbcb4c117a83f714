package io.brickyard.common.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {
  final ProcessRunner runner = new ProcessRunner();

  @Test
  void capturesOutputAndExitCode() {
    CommandResult r = runner.run(Command.of("ls", "/proc/self", "/does-not-exist"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.ok()).isFalse();
    assertThat(r.stdout()).contains("cmdline");
    assertThat(r.stderr()).contains("/does-not-exist");
    assertThat(r.failureMessage()).startsWith("ls /proc/self /does-not-exist: exit code 2: ");
  }

  @Test
  void argvIsNeverInterpretedByAShell() {
    CommandResult r = runner.run(Command.of("echo", "$HOME; rm -rf /tmp/x", "a|b"));
    assertThat(r.stdout()).isEqualTo("$HOME; rm -rf /tmp/x a|b\n");
  }

  @Test
  void timeoutKillsTheProcess() {
    CommandResult r = runner.run(Command.of("sleep", "30").withTimeout(Duration.ofMillis(300)));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.ok()).isFalse();
    assertThat(r.failureMessage()).contains("timed out");
  }

  @Test
  void stdinIsFed() {
    assertThat(runner.run(Command.of("cat").withStdin("hello\n")).stdout()).isEqualTo("hello\n");
  }

  @Test
  void missingProgramIs127WithReason() {
    CommandResult r = runner.run(Command.of("/nonexistent/prog"));
    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.stderr()).contains("cannot execute");
  }

  @Test
  void listenersSeeEveryCommandAndLocaleIsC() {
    List<CommandResult> seen = new ArrayList<>();
    ProcessRunner r = new ProcessRunner().addListener(seen::add);
    assertThat(r.run(Command.of("printenv", "LC_ALL")).stdout()).isEqualTo("C\n");
    assertThat(seen).hasSize(1);
  }

  @Test
  void displayQuotesForHumans() {
    assertThat(Command.of("firewall-cmd", "--add-rich-rule=rule family=ipv4 accept").display())
        .isEqualTo("firewall-cmd '--add-rich-rule=rule family=ipv4 accept'");
  }
}
