package io.brickyard.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lab must run the agent the way a packaged node does: same JVM flags as the sysconfig files
 * and the same firewalld service file (docs/benchmarks.md measures those flags).
 */
class DeployFilesMatchLabTest {
  private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");

  @Test
  void labAgentJvmFlagsAreTheSysconfigFlags() throws IOException {
    assertThat(Jars.AGENT_JVM).isEqualTo(sysconfigFlags("brickyard-agent", "BRICKYARD_AGENT_JAVA_OPTS"));
  }

  @Test
  void labCoordinatorJvmFlagsAreTheSysconfigFlags() throws IOException {
    assertThat(Jars.COORDINATOR_JVM).isEqualTo(sysconfigFlags("brickyard-coordinator", "BRICKYARD_COORDINATOR_JAVA_OPTS"));
  }

  @Test
  void labWritesTheFirewalldServiceFileTheRpmShips() throws IOException {
    assertThat(Lab.agentFirewalldService()).isEqualTo(Files.readString(DEPLOY.resolve("firewalld/brickyard-agent.xml")));
  }

  private static List<String> sysconfigFlags(String file, String var) throws IOException {
    Matcher m = Pattern.compile("(?m)^" + var + "=\"([^\"]*)\"$").matcher(Files.readString(DEPLOY.resolve("sysconfig/" + file)));
    assertThat(m.find()).as(var + " in deploy/sysconfig/" + file).isTrue();
    return Arrays.asList(m.group(1).trim().split("\\s+"));
  }
}
