package io.brickyard.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The completion script the build generated (target/cli-docs, by BuildDocs in the
 * process-test-classes phase), sourced by a real bash and asked what a TAB would offer.
 */
class CompletionTest {
  static final Path SCRIPT = Path.of("target/cli-docs/completion/brickyard");

  /** COMPREPLY for the words typed so far (the last one is the word being completed). */
  static List<String> complete(String... words) throws Exception {
    StringBuilder arr = new StringBuilder();
    for (String w : words) {
      arr.append(" '").append(w).append('\'');
    }
    // compopt (a bash builtin) only works while readline runs a completion: a no-op stands in for it here.
    String script = "source " + SCRIPT.toAbsolutePath() + "\ncompopt() { :; }\nCOMP_WORDS=(" + arr + ")\nCOMP_CWORD=" + (words.length - 1)
        + "\nCOMP_LINE=\"${COMP_WORDS[*]}\"\nCOMP_POINT=${#COMP_LINE}\n_complete_brickyard\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Test
  void subcommandsAtTheFirstWord() throws Exception {
    assertThat(SCRIPT).exists();
    assertThat(complete("brickyard", "")).contains("nodes", "plan", "apply", "status", "history", "certs", "lab", "validate");
    assertThat(complete("brickyard", "st")).containsExactly("status");
  }

  @Test
  void nestedSubcommandsOptionsAndOutputFormats() throws Exception {
    assertThat(complete("brickyard", "certs", "")).contains("init", "issue", "revoke");
    assertThat(complete("brickyard", "status", "--")).contains("--output", "--coordinator", "--tls-dir", "--help");
    assertThat(complete("brickyard", "nodes", "-o", "")).containsExactlyInAnyOrder("text", "json", "yaml");
    assertThat(complete("brickyard", "history", "--output", "y")).containsExactly("yaml");
  }

  @Test
  void zshWrapperIsAnAutoloadableCompdefThatReadsTheInstalledBashScript() throws Exception {
    String zsh = Files.readString(SCRIPT.resolveSibling("_brickyard"));
    assertThat(zsh.lines().findFirst()).hasValue("#compdef brickyard");
    assertThat(zsh).contains("source " + BuildDocs.BASH_COMPLETION);
  }
}
