package io.brickyard.cli.lab;

import io.brickyard.cli.ExitCodes;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the daemon jars and the java binary the lab starts: $BRICKYARD_HOME (or the directory of
 * the CLI jar, as installed by the RPM in /usr/share/brickyard), or the Maven build tree.
 */
public final class Jars {
  /** The agent's JVM flags, equal to deploy/sysconfig (DeployFilesMatchLabTest): small heap, serial GC, C1 only. See docs/benchmarks.md. */
  public static final List<String> AGENT_JVM = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx48m", "-XX:MaxMetaspaceSize=48m",
      "-XX:ReservedCodeCacheSize=24m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k", "-Xshare:auto",
      "-XX:+ExitOnOutOfMemoryError");
  public static final List<String> COORDINATOR_JVM = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-XX:+ExitOnOutOfMemoryError");

  private Jars() {}

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static Path find(String daemon) {
    String env = System.getenv("BRICKYARD_" + daemon.toUpperCase() + "_JAR");
    List<Path> candidates = new ArrayList<>();
    if (env != null) {
      candidates.add(Path.of(env));
    }
    String home = System.getenv("BRICKYARD_HOME");
    if (home != null) {
      candidates.add(Path.of(home, "brickyard-" + daemon + ".jar"));
    }
    Path self = selfDir();
    if (self != null) {
      candidates.add(self.resolve("brickyard-" + daemon + ".jar"));
      // cli/target/brickyard-cli.jar -> agent/target/brickyard-agent.jar in the build tree
      candidates.add(self.getParent().getParent().resolve(daemon).resolve("target").resolve("brickyard-" + daemon + ".jar"));
    }
    candidates.add(Path.of("/usr/share/brickyard/brickyard-" + daemon + ".jar"));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c.toAbsolutePath().normalize();
      }
    }
    throw new LabException(ExitCodes.BAD_INPUT, "cannot find brickyard-" + daemon + ".jar (looked in " + candidates
        + "); build with 'mvn -DskipTests package' or set BRICKYARD_HOME");
  }

  /** The directory of the jar this CLI runs from (target/ for target/classes in tests), or null. */
  static Path selfDir() {
    try {
      Path p = Path.of(Jars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.getParent(); // the jar's directory, or target/ for target/classes in tests
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
