package io.brickyard.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.SpecRequest;
import io.brickyard.cli.CliRun;
import io.brickyard.cli.FakeCoordinator;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan and apply pass --move-vips to the coordinator (SpecRequest.move_vips, ApplyRequest.move_vips), and only then. */
class MoveVipsFlagTest {
  static final String SPEC = Path.of("..", "examples", "lab.yaml").toString();

  @TempDir Path dir;
  final List<SpecRequest> plans = new CopyOnWriteArrayList<>();
  final List<ApplyRequest> applies = new CopyOnWriteArrayList<>();

  private FakeCoordinator coordinator() throws Exception {
    return FakeCoordinator.serve(dir, new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
      @Override
      public void plan(SpecRequest rq, StreamObserver<PlanResponse> out) {
        plans.add(rq);
        out.onNext(PlanResponse.newBuilder().setFingerprint("f1").build()); // nothing to do
        out.onCompleted();
      }

      @Override
      public void apply(ApplyRequest rq, StreamObserver<ApplyEvent> out) {
        applies.add(rq);
        out.onNext(ApplyEvent.newBuilder().setPlan(PlanResponse.newBuilder().setFingerprint("f1")).build());
        out.onNext(ApplyEvent.newBuilder().setSummary(ApplySummary.newBuilder().setSuccess(true).setJournalId("j1")).build());
        out.onCompleted();
      }
    });
  }

  @Test
  void planAndApplySendTheFlag() throws Exception {
    try (FakeCoordinator c = coordinator()) {
      assertThat(c.run("plan", "-f", SPEC, "--move-vips").code()).isZero();
      assertThat(c.run("plan", "-f", SPEC).code()).isZero();
      // without --yes: the plan first (nothing to do, so no question asked)
      CliRun asked = c.run("apply", "-f", SPEC, "--move-vips");
      assertThat(asked.code()).as(asked.err()).isZero();
      assertThat(asked.out()).contains("Apply: 0 changes.");
      CliRun yes = c.run("apply", "-f", SPEC, "--yes", "--move-vips");
      assertThat(yes.code()).as(yes.err()).isZero();
      assertThat(c.run("apply", "-f", SPEC, "--yes").code()).isZero();
    }
    assertThat(plans).extracting(SpecRequest::getMoveVips).containsExactly(true, false, true);
    assertThat(applies).extracting(ApplyRequest::getMoveVips).containsExactly(true, false);
  }
}
