package io.brickyard.coordinator;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.api.coordinator.v1.ValidationReport;
import io.brickyard.coordinator.plan.ClusterFacts;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the in-memory half of a plan once at start-up, on a bundled sample spec (a copy of
 * examples/lab.yaml): YAML parsing, validation, desired steps, fingerprint, the plan's protobuf
 * form and the journal's JSON. It loads and compiles those classes before the first admin's
 * {@code plan}/{@code apply} needs them: on a freshly started coordinator that first request waited
 * ~0.4 s for class loading before it asked any agent anything. It talks to no node and changes
 * nothing; a failure here is only logged.
 */
public final class WarmUp {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  public static final String SAMPLE = "sample-spec.yaml";

  private WarmUp() {}

  /** The bundled sample spec (also used by the CLI's AppCDS recording run). */
  public static Optional<String> sampleSpec() {
    try (InputStream in = WarmUp.class.getResourceAsStream(SAMPLE)) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void run() {
    try {
      long t0 = System.nanoTime();
      SpecParser.Result r = SpecParser.analyze(sampleSpec().orElseThrow(), SAMPLE);
      ClusterSpec spec = r.spec().orElseThrow();
      List<PlannedStep> steps = new ArrayList<>();
      List<DesiredSteps.NodeSteps> nodes = spec.nodes().stream().map(n -> DesiredSteps.forNode(spec, n)).toList();
      nodes.forEach(ns -> ns.steps().forEach(s -> steps.add(new PlannedStep(s, PlannedStep.State.PENDING, null, "warm-up"))));
      DesiredSteps.cluster(spec, spec.nodes().get(0), nodes, ClusterFacts.unknown())
          .forEach(s -> steps.add(new PlannedStep(s, PlannedStep.State.PENDING, null, "warm-up")));
      Plan plan = new Plan(spec, steps, List.of(), List.of(), ValidationReport.getDefaultInstance());
      plan.fingerprint();
      plan.toProto().toByteArray();
      JsonFormat.printer().omittingInsignificantWhitespace().print(StepEvent.newBuilder().setStepId("warm-up").build());
      log.info("warm-up: sample plan of {} steps in {} ms", steps.size(), (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException | InvalidProtocolBufferException e) {
      log.warn("warm-up failed (only start-up speed is affected): {}", e.toString());
    }
  }
}
