package io.brickyard.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.HistoryRequest;
import io.brickyard.api.coordinator.v1.HistoryResponse;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.cli.CliRun;
import io.brickyard.cli.FakeCoordinator;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {
  @TempDir Path dir;

  static final long T = 1_796_140_800_000L; // 2026-12-01T16:00:00Z

  /** An apply journaled before entries had a kind, a vip move, a failed vip move, a new apply. */
  static final HistoryResponse JOURNAL = HistoryResponse.newBuilder()
      .addEntries(JournalEntry.newBuilder().setId("20261201-160400-a1").setStartedEpochMillis(T + 240_000).setKind("apply")
          .setSuccess(true).setChanged(4).setElapsedMillis(12_300).setSpecSha256("0123456789abcdef0123").setSourceName("lab-nfs.yaml"))
      .addEntries(JournalEntry.newBuilder().setId("20261201-160300-v2").setStartedEpochMillis(T + 180_000).setKind("vip-move")
          .setSuccess(false).setElapsedMillis(540).setSummary("10.77.0.201 gluster2 -> gluster1").setError("held by MAC aa:bb"))
      .addEntries(JournalEntry.newBuilder().setId("20261201-160200-v1").setStartedEpochMillis(T + 120_000).setKind("vip-move")
          .setSuccess(true).setElapsedMillis(1623).setSummary("10.77.0.201 gluster1 -> gluster2"))
      .addEntries(JournalEntry.newBuilder().setId("20261201-160000-old").setStartedEpochMillis(T)
          .setSuccess(true).setChanged(12).setElapsedMillis(45_000).setSpecSha256("fedcba9876543210fedc").setSourceName("lab.yaml"))
      .build();

  private FakeCoordinator coordinator(HistoryResponse answer) throws Exception {
    return FakeCoordinator.serve(dir, new CoordinatorServiceGrpc.CoordinatorServiceImplBase() {
      @Override
      public void history(HistoryRequest rq, StreamObserver<HistoryResponse> out) {
        out.onNext(answer);
        out.onCompleted();
      }
    });
  }

  @Test
  void vipMovesShowTheirKindAndSummaryAndOldEntriesAreApplies() throws Exception {
    try (FakeCoordinator c = coordinator(JOURNAL)) {
      CliRun r = c.run("history");
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo("""
          20261201-160400-a1  2026-12-01T16:04:00Z     apply    ok        4 changed  0 failed    12.3 s  spec 0123456789ab  lab-nfs.yaml
          20261201-160300-v2  2026-12-01T16:03:00Z     vip-move FAILED  10.77.0.201 gluster2 -> gluster1  0.54 s  held by MAC aa:bb
          20261201-160200-v1  2026-12-01T16:02:00Z     vip-move ok      10.77.0.201 gluster1 -> gluster2  1.62 s
          20261201-160000-old  2026-12-01T16:00:00Z     apply    ok       12 changed  0 failed    45.0 s  spec fedcba987654  lab.yaml
          """);
      CliRun json = c.run("history", "-o", "json");
      assertThat(json.code()).isZero();
      JsonObject move = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("entries").get(2).getAsJsonObject();
      assertThat(move.get("kind").getAsString()).isEqualTo("vip-move");
      assertThat(move.get("summary").getAsString()).isEqualTo("10.77.0.201 gluster1 -> gluster2");
    }
  }

  @Test
  void anEmptyJournalSaysSo() throws Exception {
    try (FakeCoordinator c = coordinator(HistoryResponse.getDefaultInstance())) {
      CliRun r = c.run("history");
      assertThat(r.code()).isZero();
      assertThat(r.out()).isEqualTo("the journal is empty: no applies or vip moves yet\n");
    }
  }
}
