package io.brickyard.cli.vip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.MoveVipRequest;
import io.brickyard.api.coordinator.v1.MoveVipResponse;
import io.brickyard.api.coordinator.v1.VipMove;
import io.brickyard.api.coordinator.v1.VipMoveStep;
import io.brickyard.cli.CliRun;
import io.brickyard.cli.FakeCoordinator;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vip move} against an in-process coordinator: what it sends, what it prints, its exit codes. */
class VipMoveCommandTest {
  static final String SPEC = Path.of("..", "examples", "lab.yaml").toString();

  @TempDir Path dir;
  final List<MoveVipRequest> requests = new CopyOnWriteArrayList<>();

  /** A coordinator whose MoveVip answers {@code answer(request)}, or fails with the status it throws. */
  private FakeCoordinator coordinator(Function<MoveVipRequest, MoveVipResponse> answer) throws Exception {
    return FakeCoordinator.serve(dir, new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
      @Override
      public void moveVip(MoveVipRequest rq, StreamObserver<MoveVipResponse> out) {
        requests.add(rq);
        try {
          out.onNext(answer.apply(rq));
          out.onCompleted();
        } catch (RuntimeException e) {
          out.onError(e);
        }
      }
    });
  }

  static VipMoveStep step(String node, String what, long start, long took) {
    return VipMoveStep.newBuilder().setNode(node).setWhat(what).setStartedMillis(start).setElapsedMillis(took).setChanged(true)
        .addCommands(CommandRecord.newBuilder().addArgv("ip").addArgv("addr").addArgv("del").addArgv("10.77.0.201/24"))
        .build();
  }

  static MoveVipResponse moved() {
    return MoveVipResponse.newBuilder().setJournalId("20261201-161500-vip").setMove(VipMove.newBuilder()
        .setAddress("10.77.0.201").setFromNode("gluster1").setToNode("gluster2").setChanged(true).setElapsedMillis(1623)
        .addSteps(step("gluster1", "grace 2:10.77.0.201", 0, 12))
        .addSteps(step("gluster1", "release", 12, 35))
        .addSteps(step("gluster2", "add + ARP", 47, 1540))
        .addSteps(step("gluster2", "grace 5:10.77.0.201", 1590, 30))).build();
  }

  @Test
  void aMovePrintsItsTimelineAndTheJournalIdAndSendsTheSpec() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> moved())) {
      CliRun r = c.run("vip", "move", "10.77.0.201", "--to", "gluster2", "-f", SPEC);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("""
               0 ms  gluster1   grace 2:10.77.0.201 (12 ms)
              12 ms  gluster1   release (35 ms)
              47 ms  gluster2   add + ARP (1540 ms)
            1590 ms  gluster2   grace 5:10.77.0.201 (30 ms)
          10.77.0.201 moved gluster1 -> gluster2 in 1.62 s (journal 20261201-161500-vip)
          """);
    }
    MoveVipRequest rq = requests.get(0);
    assertThat(rq.getAddress()).isEqualTo("10.77.0.201");
    assertThat(rq.getToNode()).isEqualTo("gluster2");
    assertThat(rq.getDryRun()).isFalse();
    assertThat(rq.getSpecYaml()).isEqualTo(Files.readString(Path.of(SPEC)));
    assertThat(rq.getSourceName()).isEqualTo(SPEC);
  }

  @Test
  void aDryRunShowsTheCommandsAndSaysNothingChanged() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> moved().toBuilder().clearJournalId().build())) {
      CliRun r = c.run("vip", "move", "10.77.0.201", "--to", "gluster2", "-f", SPEC, "--dry-run");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("\n    12 ms  gluster1   release (35 ms)\n             $ ip addr del 10.77.0.201/24\n")
          .endsWith("10.77.0.201 would move gluster1 -> gluster2 (dry run: nothing changed)\n");
    }
    assertThat(requests.get(0).getDryRun()).isTrue();
  }

  @Test
  void anAddressAlreadyThereIsNotAMove() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> MoveVipResponse.newBuilder().setMove(VipMove.newBuilder()
        .setAddress("10.77.0.201").setFromNode("gluster2").setToNode("gluster2").setChanged(false)).build())) {
      CliRun r = c.run("vip", "move", "10.77.0.201", "--to", "gluster2", "-f", SPEC);
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo("10.77.0.201 already on gluster2\n");
    }
  }

  @Test
  void aFailedMoveExitsOneWithTheTimelineSoFar() throws Exception {
    MoveVipResponse failed = MoveVipResponse.newBuilder().setJournalId("j7").setMove(VipMove.newBuilder()
        .setAddress("10.77.0.201").setToNode("gluster2").setChanged(true).setElapsedMillis(540)
        .addSteps(step("gluster2", "add + ARP", 3, 530))
        .setError("gluster2: address 10.77.0.201 held by MAC aa:bb:cc:dd:ee:ff")).build();
    try (FakeCoordinator c = coordinator(rq -> failed)) {
      CliRun text = c.run("vip", "move", "10.77.0.201", "--to", "gluster2", "-f", SPEC);
      assertThat(text.code()).isEqualTo(1);
      assertThat(text.out()).contains("gluster2   add + ARP (530 ms)")
          .endsWith("10.77.0.201 move (held by no node) -> gluster2 FAILED after 0.54 s (journal j7): "
              + "gluster2: address 10.77.0.201 held by MAC aa:bb:cc:dd:ee:ff\n");
      CliRun json = c.run("vip", "move", "10.77.0.201", "--to", "gluster2", "-f", SPEC, "-o", "json");
      assertThat(json.code()).isEqualTo(1);
      JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
      assertThat(o.get("journalId").getAsString()).isEqualTo("j7");
      assertThat(o.getAsJsonObject("move").get("error").getAsString()).startsWith("gluster2: address");
      assertThat(o.getAsJsonObject("move").get("fromNode").getAsString()).isEmpty(); // defaults are printed too
      assertThat(o.getAsJsonObject("move").getAsJsonArray("steps")).hasSize(1);
    }
  }

  @Test
  void anUnknownNodeIsTheCoordinatorsInvalidArgumentAndBadInput() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> {
      throw Status.INVALID_ARGUMENT.withDescription("--to: 'gluster9' is not an NFS node of the spec; NFS nodes: [gluster1, gluster2]")
          .asRuntimeException();
    })) {
      CliRun r = c.run("vip", "move", "10.77.0.201", "--to", "gluster9", "-f", SPEC);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).endsWith("\nbrickyard: --to: 'gluster9' is not an NFS node of the spec; NFS nodes: [gluster1, gluster2]\n");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void anAddressThatIsNotAnIpv4LiteralIsRefusedBeforeAnyCall() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> moved())) {
      for (String bad : List.of("10.77.0.2011", "010.77.0.201", "gluster1", "10.77.0", "fd00::1")) {
        CliRun r = c.run("vip", "move", bad, "--to", "gluster2", "-f", SPEC);
        assertThat(r.code()).as(bad).isEqualTo(2);
        assertThat(r.err()).as(bad).contains("is not an IPv4 address");
      }
      CliRun prefix = c.run("vip", "move", "10.77.0.201/24", "--to", "gluster2", "-f", SPEC);
      assertThat(prefix.code()).isEqualTo(2);
      assertThat(prefix.err()).endsWith("brickyard: ADDRESS: give the virtual IP without its prefix: 10.77.0.201, not 10.77.0.201/24\n");
      CliRun noTo = c.run("vip", "move", "10.77.0.201", "-f", SPEC);
      assertThat(noTo.code()).isEqualTo(2);
      assertThat(noTo.err()).contains("Missing required option: '--to=NODE'");
    }
    assertThat(requests).isEmpty();
  }
}
