package io.brickyard.coordinator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven spec cases: each file under specs/invalid and specs/warnings states in its header
 * every error ({@code # expect: path: message}) and every warning ({@code # warn: path: message})
 * the parser must report. The comparison is exact both ways: a missing issue, an extra issue or a
 * changed message fails the case.
 */
class SpecCasesTest {

  static Stream<Path> invalid() throws IOException, URISyntaxException {
    return files("specs/invalid");
  }

  static Stream<Path> warnings() throws IOException, URISyntaxException {
    return files("specs/warnings");
  }

  private static Stream<Path> files(String dir) throws IOException, URISyntaxException {
    Path root = Path.of(SpecCasesTest.class.getClassLoader().getResource(dir).toURI());
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidSpecIsRejectedWithExactlyTheExpectedErrors(Path file) throws IOException {
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    List<String> expected = header(yaml, "# expect: ");
    assertThat(expected).as("an invalid case must state its errors").isNotEmpty();

    SpecParser.Result r = SpecParser.analyze(yaml, file.getFileName().toString());

    assertThat(r.ok()).isFalse();
    assertThat(render(r.errors())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(render(r.warnings())).containsExactlyInAnyOrderElementsOf(header(yaml, "# warn: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warnings")
  void warningSpecIsAcceptedWithExactlyTheExpectedWarnings(Path file) throws Exception {
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    List<String> expected = header(yaml, "# warn: ");
    assertThat(expected).as("a warnings case must state its warnings").isNotEmpty();
    assertThat(header(yaml, "# expect: ")).isEmpty();

    SpecParser.Result r = SpecParser.analyze(yaml, file.getFileName().toString());

    assertThat(render(r.errors())).isEmpty();
    assertThat(render(r.warnings())).containsExactlyInAnyOrderElementsOf(expected);
    // parse() accepts what analyze() accepts, warnings and all.
    assertThat(SpecParser.parse(yaml, file.toString())).isEqualTo(r.spec().orElseThrow());
  }

  private static List<String> header(String yaml, String prefix) {
    return yaml.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
  }

  private static List<String> render(List<Issue> issues) {
    return issues.stream().map(i -> i.path() + ": " + i.message()).toList();
  }
}
