package io.brickyard.coordinator.day2;

import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SpecParser;

/**
 * The spec a day-2 command sent, parsed and validated as apply does, or the {@link Day2Outcome.Invalid}
 * that ends the command before anything runs (exactly one of the two is set).
 */
record Day2Spec(ClusterSpec spec, String source, Day2Outcome.Invalid invalid) {
  /** {@code sourceName}: the spec file's name as the CLI sent it ("spec" when it sent none), for messages and the journal. */
  static Day2Spec parse(String yaml, String sourceName) {
    String source = sourceName.isBlank() ? "spec" : sourceName;
    SpecParser.Result r = SpecParser.analyze(yaml, source);
    return r.ok() ? new Day2Spec(r.spec().orElseThrow(), source, null)
        : new Day2Spec(null, source, new Day2Outcome.Invalid("the spec is invalid: " + r.errors().get(0)));
  }
}
