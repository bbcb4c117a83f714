package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.apply.EventSink;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A day-2 command's steps, one after the other, reported as an apply's step events (the CLI shows
 * them with the same progress display): STARTED, PROGRESS lines while a long one runs (not kept for
 * the journal), then CHANGED / UNCHANGED / FAILED; after a failure the rest are SKIPPED.
 */
final class Steps {
  private final EventSink sink;
  final List<StepEvent> events = new ArrayList<>();
  private int changed;
  private int unchanged;
  private int failed;
  private int skipped;
  private String error = "";

  Steps(EventSink sink) {
    this.sink = sink;
  }

  void run(String id, String node, String description, Supplier<OperationResult> call) {
    run(id, node, description, p -> call.get());
  }

  void run(String id, String node, String description, Function<Consumer<String>, OperationResult> call) {
    StepEvent.Builder ev = StepEvent.newBuilder().setStepId(id).setNode(node).setDescription(description);
    if (failed > 0) {
      skipped++;
      emit(ev.setState(StepEvent.State.SKIPPED).setMessage("not started: an earlier step failed").build(), true);
      return;
    }
    long t0 = System.nanoTime();
    emit(ev.clone().setState(StepEvent.State.STARTED).build(), true);
    try {
      OperationResult r = call.apply(line -> emit(ev.clone().setState(StepEvent.State.PROGRESS).setMessage(line)
          .setElapsedMillis(ms(t0)).build(), false));
      if (r.getChanged()) {
        changed++;
      } else {
        unchanged++;
      }
      emit(ev.setState(r.getChanged() ? StepEvent.State.CHANGED : StepEvent.State.UNCHANGED).setMessage(r.getSummary())
          .setResult(r).setElapsedMillis(ms(t0)).build(), true);
    } catch (StatusRuntimeException e) {
      failed++;
      String msg = e.getStatus().getDescription() != null ? e.getStatus().getDescription() : NodeProbe.describe(e);
      error = id + ": " + msg;
      emit(ev.setState(StepEvent.State.FAILED).setMessage(msg).setElapsedMillis(ms(t0)).build(), true);
    }
  }

  ApplySummary.Builder summary() {
    return ApplySummary.newBuilder().setSuccess(failed == 0).setChanged(changed).setUnchanged(unchanged)
        .setFailed(failed).setSkipped(skipped).setError(error);
  }

  private void emit(StepEvent e, boolean keep) {
    if (keep) {
      events.add(e);
    }
    sink.send(ApplyEvent.newBuilder().setStep(e).build());
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
