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

  /**
   * What an interactive zsh completes on TAB, through the #compdef wrapper and bashcompinit: the
   * wrapper (pointed at this build's bash script instead of the installed path) in $fpath of a
   * real {@code zsh -i} on a pseudo-terminal (zsh/zpty), one TAB, then the edited line is read back.
   */
  static String zshTab(Path fpathDir, String typed) throws Exception {
    String driver = """
        zmodload zsh/zpty
        zpty z "zsh -f -i"
        zpty -w z "PS1='%% '; fpath=($1 \\$fpath); autoload -U compinit && compinit -u; brickyard() { :; }; print READY"
        zpty -r -m z out '*READY*' || exit 2
        zpty -w -n z "$2"$'\\t'
        sleep 1
        zpty -w z $'\\x05 #END'
        zpty -r -m z out '*#END*' || exit 3
        print -r -- "$out"
        zpty -d z
        """;
    Process p = new ProcessBuilder("zsh", "-f", "-c", driver, "zsh", fpathDir.toString(), typed).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    // The last screen line, without terminal escapes and backspaced-over characters.
    String plain = out.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll(".\b", "");
    String[] lines = plain.split("[\r\n]+");
    return lines[lines.length - 1].replace("#END", "").strip();
  }

  /** Needs zsh (scripts/install-deps.sh installs it): run with the package tiers, not plain mvn test. */
  @Test
  @org.junit.jupiter.api.Tag("packages")
  void zshCompletesThroughTheWrapper(@org.junit.jupiter.api.io.TempDir Path fpath) throws Exception {
    try {
      assertThat(new ProcessBuilder("zsh", "--version").start().waitFor()).as("zsh --version").isZero();
    } catch (java.io.IOException e) {
      throw new AssertionError("zsh missing: apt-get install zsh (" + e.getMessage() + ")", e);
    }
    Files.writeString(fpath.resolve("_brickyard"), Files.readString(SCRIPT.resolveSibling("_brickyard"))
        .replace(BuildDocs.BASH_COMPLETION, SCRIPT.toAbsolutePath().toString()));
    assertThat(zshTab(fpath, "brickyard sta")).endsWith("brickyard status");
    assertThat(zshTab(fpath, "brickyard certs iss")).endsWith("brickyard certs issue");
    assertThat(zshTab(fpath, "brickyard nodes --output y")).endsWith("brickyard nodes --output yaml");
  }

  @Test
  void zshWrapperIsAnAutoloadableCompdefThatReadsTheInstalledBashScript() throws Exception {
    String zsh = Files.readString(SCRIPT.resolveSibling("_brickyard"));
    assertThat(zsh.lines().findFirst()).hasValue("#compdef brickyard");
    assertThat(zsh).contains("source " + BuildDocs.BASH_COMPLETION);
  }
}
