package io.brickyard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The start-up warm-up's sample is the lab example, and valid (else the warm-up would only log a warning). */
class WarmUpTest {
  @Test
  void sampleIsTheLabExampleAndValid() throws Exception {
    String sample = WarmUp.sampleSpec().orElseThrow();
    assertThat(sample).isEqualTo(Files.readString(Path.of("..", "examples", "lab.yaml")));
    assertThat(SpecParser.analyze(sample, WarmUp.SAMPLE).ok()).isTrue();
  }
}
