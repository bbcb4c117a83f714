package io.brickyard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The built packages, made once per test JVM by the project's own scripts (scripts/rpm.sh,
 * scripts/deb.sh with SKIP_BUILD=1: from the jars and cli/target/cli-docs that this Maven run has
 * just packaged, so these tiers run in {@code mvn -Pe2e verify}, after the cli module).
 */
final class Packages {
  static final Path REPO = DeployFiles.dir().getParent();
  private static List<Path> rpms;
  private static List<Path> debs;

  private Packages() {}

  /** Fails (never skips) naming the Debian package that brings a missing tool. */
  static void require(Map<String, String> programToPackage) {
    List<String> missing = new ArrayList<>();
    programToPackage.forEach((prog, pkg) -> {
      if (!Run.has(prog)) {
        missing.add(prog + " (apt-get install " + pkg + ")");
      }
    });
    if (!missing.isEmpty()) {
      throw new AssertionError("missing: " + String.join(", ", missing) + "; scripts/install-deps.sh installs them");
    }
  }

  static void requireBuild() {
    for (String f : List.of("agent/target/brickyard-agent.jar", "coordinator/target/brickyard-coordinator.jar",
        "cli/target/brickyard-cli.jar", "cli/target/cli-docs/completion/brickyard")) {
      if (!Files.isRegularFile(REPO.resolve(f))) {
        throw new AssertionError(f + " is missing: the package tiers run after the jars are packaged"
            + " (mvn -Pe2e verify, or mvn -DskipTests package first)");
      }
    }
  }

  static synchronized List<Path> rpms() {
    if (rpms == null) {
      require(Map.of("rpmbuild", "rpm", "asciidoctor", "asciidoctor"));
      requireBuild();
      long t0 = System.nanoTime();
      Run.of(Map.of("SKIP_BUILD", "1"), REPO, 600, List.of("scripts/rpm.sh")).ok();
      System.out.printf("scripts/rpm.sh: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      rpms = list(REPO.resolve("target/rpm/RPMS/noarch"), ".rpm");
    }
    return rpms;
  }

  static synchronized List<Path> debs() {
    if (debs == null) {
      require(Map.of("dpkg-deb", "dpkg", "asciidoctor", "asciidoctor"));
      requireBuild();
      long t0 = System.nanoTime();
      Run.of(Map.of("SKIP_BUILD", "1"), REPO, 600, List.of("scripts/deb.sh")).ok();
      System.out.printf("scripts/deb.sh: %.1f s%n", (System.nanoTime() - t0) / 1e9);
      debs = list(REPO.resolve("target/deb"), ".deb");
    }
    return debs;
  }

  static Path rpm(String name) {
    return rpms().stream().filter(p -> p.getFileName().toString().matches(name + "-\\d.*")).findFirst().orElseThrow();
  }

  static Path deb(String name) {
    return debs().stream().filter(p -> p.getFileName().toString().startsWith(name + "_")).findFirst().orElseThrow();
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
