package io.brickyard.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.SnapshotAction;
import io.brickyard.api.coordinator.v1.SnapshotCommand;
import io.brickyard.api.coordinator.v1.SnapshotCommandResponse;
import io.brickyard.cli.CliRun;
import io.brickyard.cli.FakeCoordinator;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brickyard snapshot ...} against an in-process coordinator: requests, output, exit codes. */
class SnapshotCommandTest {
  static final String SPEC = Path.of("..", "examples", "recipe.yaml").toString();
  @TempDir Path dir;
  final List<SnapshotCommand> requests = new CopyOnWriteArrayList<>();

  private FakeCoordinator coordinator(Function<SnapshotCommand, SnapshotCommandResponse> answer) throws Exception {
    return FakeCoordinator.serve(dir, new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
      @Override
      public void snapshot(SnapshotCommand rq, StreamObserver<SnapshotCommandResponse> out) {
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

  static SnapshotCommandResponse done(String summary) {
    return SnapshotCommandResponse.newBuilder().setNode("gluster1").setJournalId("20261201T194000.000Z")
        .addResults(OperationResult.newBuilder().setChanged(true).setSummary(summary)).build();
  }

  @Test
  void createSendsVolumeNameDescriptionAndTheSpec() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> done("created snapshot before-upgrade of vol1 (7c1e...)"))) {
      CliRun r = c.run("snapshot", "create", "vol1", "before-upgrade", "--description", "before the upgrade", "-f", SPEC);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("created snapshot before-upgrade of vol1 (7c1e...)\njournal 20261201T194000.000Z\n");
    }
    SnapshotCommand rq = requests.get(0);
    assertThat(rq.getAction()).isEqualTo(SnapshotAction.SNAPSHOT_CREATE);
    assertThat(rq.getVolume()).isEqualTo("vol1");
    assertThat(rq.getName()).isEqualTo("before-upgrade");
    assertThat(rq.getDescription()).isEqualTo("before the upgrade");
    assertThat(rq.getSpecYaml()).contains("name: recipe");
  }

  @Test
  void badNamesAreBadInputAndNothingIsSent() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> done("x"))) {
      assertThat(c.run("snapshot", "create", "vol1", "-x", "-f", SPEC).code()).isEqualTo(2);
      CliRun r = c.run("snapshot", "delete", "a/b", "-f", SPEC);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("NAME: 'a/b' is not a snapshot name");
      assertThat(c.run("snapshot", "clone", "snap1", "-vol", "-f", SPEC).code()).isEqualTo(2);
      assertThat(c.run("snapshot", "create", "vol1", "s1", "--description", "two\nlines", "-f", SPEC).code()).isEqualTo(2);
    }
    assertThat(requests).isEmpty();
  }

  @Test
  void restoreWithoutATerminalNeedsYesAndWithYesStopsTheVolume() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> done("restored vol1 to snapshot s1"))) {
      CliRun no = c.run("snapshot", "restore", "s1", "-f", SPEC);
      assertThat(no.code()).isEqualTo(2);
      assertThat(no.err()).contains("pass --yes");
      assertThat(requests).isEmpty();
      CliRun yes = c.run("snapshot", "restore", "s1", "--yes", "-f", SPEC);
      assertThat(yes.code()).as(yes.err()).isZero();
    }
    assertThat(requests.get(0).getAction()).isEqualTo(SnapshotAction.SNAPSHOT_RESTORE);
    assertThat(requests.get(0).getStopVolume()).isTrue();
  }

  @Test
  void aFailureHalfWayPrintsWhatWasDoneAndExitsOne() throws Exception {
    SnapshotCommandResponse half = SnapshotCommandResponse.newBuilder().setNode("gluster1")
        .addResults(OperationResult.newBuilder().setChanged(true).setSummary("stopped volume vol1"))
        .setError("restore vol1 to s1 failed after 1 step(s): ABORTED: snapshot restore s1 failed: ...").build();
    try (FakeCoordinator c = coordinator(rq -> half)) {
      CliRun r = c.run("snapshot", "restore", "s1", "-y", "-f", SPEC);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.out()).isEqualTo("stopped volume vol1\nFAILED on gluster1: restore vol1 to s1 failed after 1 step(s): "
          + "ABORTED: snapshot restore s1 failed: ...\n");
    }
  }

  @Test
  void listPrintsATableAndJsonForScripts() throws Exception {
    SnapshotCommandResponse list = SnapshotCommandResponse.newBuilder().setNode("gluster1")
        .addSnapshots(Snapshot.newBuilder().setName("s1").setVolume("vol1").setActivated(true).setStatus("Started")
            .setCreateTime("2026-12-01 19:43:36 +0000").setDescription("first")).build();
    try (FakeCoordinator c = coordinator(rq -> list)) {
      CliRun t = c.run("snapshot", "list", "vol1", "-f", SPEC);
      assertThat(t.code()).as(t.err()).isZero();
      assertThat(t.out()).isEqualTo(String.format("%-24s %-16s %-11s %-25s %s%n%-24s %-16s %-11s %-25s %s%n", "NAME", "VOLUME",
          "STATE", "CREATED", "DESCRIPTION", "s1", "vol1", "activated", "2026-12-01 19:43:36 +0000", "first"));
      CliRun j = c.run("snapshot", "list", "-o", "json", "-f", SPEC);
      assertThat(JsonParser.parseString(j.out()).getAsJsonObject().getAsJsonArray("snapshots").get(0).getAsJsonObject()
          .get("name").getAsString()).isEqualTo("s1");
      CliRun y = c.run("snapshot", "info", "s1", "-o", "yaml", "-f", SPEC);
      assertThat(y.out()).contains("name: s1").contains("activated: true");
    }
    assertThat(requests.get(0).getVolume()).isEqualTo("vol1");
    assertThat(requests.get(1).getVolume()).isEmpty();
  }

  @Test
  void aRefusalFromTheCoordinatorIsBadInput() throws Exception {
    try (FakeCoordinator c = coordinator(rq -> {
      throw Status.INVALID_ARGUMENT.withDescription("volume: 'vol9' is not a volume of the spec").asRuntimeException();
    })) {
      CliRun r = c.run("snapshot", "create", "vol9", "s1", "-f", SPEC);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("'vol9' is not a volume of the spec");
    }
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub : List.of("create", "list", "info", "activate", "deactivate", "restore", "clone", "delete")) {
      CliRun r = CliRun.of("snapshot", sub, "--help");
      assertThat(r.code()).as(sub).isZero();
      assertThat(r.out()).as(sub).contains("Usage: brickyard snapshot " + sub);
    }
  }
}
