package io.brickyard.cli.lab;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lab's agents start with the same AppCDS class archive as a packaged agent: it is made by
 * the very script the systemd unit runs as ExecStartPre ({@code deploy/libexec/brickyard-agent-cds}:
 * one training start of the agent, archive written at exit, kept while the jar, the java binary
 * and the JVM flags stay the same). So the lab runs its agents as production does, and the
 * script itself runs for real every time a lab comes up. The archive lives outside the lab
 * directory ({@link #CACHE}), so a new lab reuses it until the agent jar is rebuilt.
 *
 * <p>Without the script (an installation that has no source tree and no
 * /usr/libexec/brickyard) or when training fails, agents start without the archive, as the unit
 * would, and the reason is printed.
 */
final class AgentClassArchive {
  static final Path CACHE = Path.of("/var/cache/brickyard-lab");
  static final String SCRIPT = "brickyard-agent-cds";

  private AgentClassArchive() {}

  /**
   * Runs the script for {@code agentJar} with the given JVM flags and the TLS files of one lab
   * host (the training start serves mTLS on 127.0.0.1, an ephemeral port); returns the JVM option
   * to add ({@code -XX:SharedArchiveFile=...}) or nothing.
   */
  static List<String> prepare(CommandRunner runner, Path agentJar, List<String> jvmFlags, Path tlsDir, Path argsFile,
      Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Path script = find();
    if (script == null) {
      Files.writeString(log, "no " + SCRIPT + " found next to the build tree or in /usr/libexec/brickyard\n");
      return List.of();
    }
    Files.createDirectories(CACHE);
    Command c = Command.of(List.of("bash", script.toString())).withTimeout(Duration.ofMinutes(2)).withEnv(Map.of(
        "JAVA", Jars.java(),
        "BRICKYARD_AGENT_JAR", agentJar.toString(),
        "BRICKYARD_AGENT_JAVA_OPTS", String.join(" ", jvmFlags),
        "BRICKYARD_AGENT_CDS_ARCHIVE", CACHE.resolve("agent.jsa").toString(),
        "BRICKYARD_AGENT_CDS_ARGS_FILE", argsFile.toString(),
        "BRICKYARD_AGENT_TLS_DIR", tlsDir.toString(),
        "BRICKYARD_AGENT_TLS_NAME", "node"));
    CommandResult r = runner.run(c);
    Files.writeString(log, "$ " + String.join(" ", c.argv()) + "\nexit " + r.exitCode() + "\n" + r.stdout() + r.stderr());
    List<String> opts = new ArrayList<>();
    if (Files.isRegularFile(argsFile)) {
      for (String line : Files.readAllLines(argsFile)) {
        if (!line.isBlank()) {
          opts.add(line.strip());
        }
      }
    }
    return opts;
  }

  /** The script in the source tree (cli/target/x.jar -> deploy/libexec/), else where the RPM puts it. */
  private static Path find() {
    List<Path> candidates = new ArrayList<>();
    Path self = Jars.selfDir();
    if (self != null) {
      candidates.add(self.getParent().getParent().resolve("deploy").resolve("libexec").resolve(SCRIPT));
    }
    candidates.add(Path.of("/usr/libexec/brickyard").resolve(SCRIPT));
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }
}
