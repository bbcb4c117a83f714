package io.brickyard.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.cli.apply.PlanPrinter;
import io.brickyard.cli.apply.Progress;
import io.brickyard.coordinator.WarmUp;
import io.brickyard.coordinator.spec.SpecParser;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Run once, after the command, only when the launcher records the AppCDS archive
 * ({@code -Dbrickyard.cds.train=true}, see deploy/bin/brickyard). JDK 17 archives just the classes
 * the recording run loaded, and the first coordinator command may well be {@code nodes}, which never
 * parses a spec nor prints a plan: this loads those classes too (parsing the coordinator's bundled
 * sample spec, printing an empty plan and one progress line to nowhere), so {@code plan} and
 * {@code apply} start from the archive as well. It talks to nothing and changes nothing.
 */
final class CdsTraining {
  static final String PROPERTY = "brickyard.cds.train";

  private CdsTraining() {}

  static void runIfRecording() {
    if (!Boolean.getBoolean(PROPERTY)) {
      return;
    }
    WarmUp.sampleSpec().ifPresent(yaml -> SpecParser.analyze(yaml, WarmUp.SAMPLE));
    try { // the streamed apply messages, through their parser as gRPC uses it
      ApplyEvent.parseFrom(ApplyEvent.newBuilder().setSummary(ApplySummary.getDefaultInstance()).build().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    PlanPrinter.print(PlanResponse.getDefaultInstance(), nowhere);
    Progress p = Progress.forOutput(nowhere, false);
    p.event(StepEvent.newBuilder().setStepId("cds").setState(StepEvent.State.CHANGED).build());
    p.finish();
  }
}
