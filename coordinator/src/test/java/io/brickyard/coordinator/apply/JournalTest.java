package io.brickyard.coordinator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.api.coordinator.v1.StepEvent;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
  @TempDir Path state;

  private static JournalEntry entry(int second, int changed) {
    return JournalEntry.newBuilder().setId(String.format("20261126T1200%02d.000Z", second)).setSuccess(true)
        .setChanged(changed).setSourceName("s" + second).build();
  }

  private static StepEvent event(String id) {
    return StepEvent.newBuilder().setStepId(id).setState(StepEvent.State.CHANGED).build();
  }

  /** A file exactly as the journal of 0.1.0 (before JournalRecord) wrote it, events on one line each. */
  @Test
  void readsEntriesWrittenByTheEarlierHandBuiltFormat() throws Exception {
    Path dir = Files.createDirectories(state.resolve("journal"));
    Files.writeString(dir.resolve("20261120T101010.123Z.json"), "{\n\"entry\": {\n  \"id\": \"20261120T101010.123Z\",\n"
        + "  \"startedEpochMillis\": \"1795000000000\",\n  \"sourceName\": \"lab.yaml\",\n  \"success\": true,\n"
        + "  \"changed\": 19\n},\n\"events\": [\n{\"stepId\":\"gluster1/services/glusterd\",\"node\":\"gluster1\","
        + "\"state\":\"CHANGED\"},\n{\"stepId\":\"cluster/volume:vol1\",\"state\":\"CHANGED\"}\n]\n}\n");
    assertThat(new Journal(state).list(0)).singleElement().satisfies(e -> {
      assertThat(e.getSourceName()).isEqualTo("lab.yaml");
      assertThat(e.getChanged()).isEqualTo(19);
    });
  }

  @Test
  void writesOneJsonDocumentThatAnyJsonReaderTakesWhole() throws Exception {
    new Journal(state).write(entry(5, 1), List.of(event("gluster1/services/glusterd")));
    String text = Files.readString(state.resolve("journal/20261126T120005.000Z.json"));
    JournalRecord.Builder b = JournalRecord.newBuilder();
    JsonFormat.parser().merge(text, b); // strict: no unknown field, no trailing text
    assertThat(b.getEventsList()).extracting(StepEvent::getStepId).containsExactly("gluster1/services/glusterd");
    assertThat(b.getEntry().getChanged()).isEqualTo(1);
  }

  @Test
  void keepsTheNewestAndFewerNoOpsSoTimerDrivenAppliesCannotPushChangesOut() throws Exception {
    Journal j = new Journal(state, 6, 2);
    j.write(entry(1, 3), List.of(event("a")));  // changed something
    for (int s = 2; s <= 9; s++) {
      j.write(entry(s, 0), List.of());                    // eight no-op applies
    }
    j.write(entry(10, 1), List.of(event("b")));
    // newest first: the change at :10, the two newest no-ops, the change at :01 survives eight no-ops
    assertThat(j.list(0)).extracting(JournalEntry::getSourceName).containsExactly("s10", "s9", "s8", "s1");
    try (Stream<Path> files = Files.list(state.resolve("journal"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("20261126T120010.000Z.json", "20261126T120009.000Z.noop.json",
              "20261126T120008.000Z.noop.json", "20261126T120001.000Z.json");
    }
    for (int s = 11; s <= 20; s++) {
      j.write(entry(s, 1), List.of(event("c")));
    }
    assertThat(j.list(0)).hasSize(6).first().extracting(JournalEntry::getSourceName).isEqualTo("s20");
    assertThat(j.list(2)).extracting(JournalEntry::getSourceName).containsExactly("s20", "s19");
  }

  @Test
  void aFailedApplyThatRanNothingIsNotANoOp() throws Exception {
    Journal j = new Journal(state, 10, 0);
    j.write(entry(1, 0).toBuilder().setSuccess(false).setError("refused").build(), List.of());
    j.write(entry(2, 0), List.of());
    assertThat(j.list(0)).extracting(JournalEntry::getSourceName).containsExactly("s1");
  }

  /** The journal directory is a regular file (stops root too, unlike a chmod): one clear error naming it. */
  @Test
  void anUnwritableJournalDirectoryIsOneErrorNamingIt() throws Exception {
    Files.writeString(state.resolve("journal"), "not a directory");
    Journal j = new Journal(state);
    assertThatThrownBy(() -> j.write(entry(1, 1), List.of(event("a"))))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write " + state.resolve("journal/20261126T120001.000Z.json") + ": ")
        .hasMessageContaining(state.resolve("journal").toString());
  }

  @Test
  void tempFilesLeftByACrashAreRemovedAtStart() throws Exception {
    Path dir = Files.createDirectories(state.resolve("journal"));
    new Journal(state).write(entry(1, 1), List.of(event("a")));
    Files.writeString(dir.resolve("20261126T120002.000Z.json.tmp"), "{\"entry\": {");          // earlier versions' temp
    Files.writeString(dir.resolve(".20261126T120003.000Z.json.42.tmp"), "{\"entry\": {");      // DurableFiles' temp
    Journal j = new Journal(state);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("20261126T120001.000Z.json");
    }
    j.write(entry(4, 1), List.of(event("b")));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("20261126T120001.000Z.json", "20261126T120004.000Z.json");
    }
  }
}
