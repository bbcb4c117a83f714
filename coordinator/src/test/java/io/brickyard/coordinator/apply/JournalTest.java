package io.brickyard.coordinator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.JournalEntry;
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

  @Test
  void keepsTheNewestAndFewerNoOpsSoTimerDrivenAppliesCannotPushChangesOut() throws Exception {
    Journal j = new Journal(state, 6, 2);
    j.write(entry(1, 3), List.of("{\"stepId\":\"a\"}"));  // changed something
    for (int s = 2; s <= 9; s++) {
      j.write(entry(s, 0), List.of());                    // eight no-op applies
    }
    j.write(entry(10, 1), List.of("{\"stepId\":\"b\"}"));
    // newest first: the change at :10, the two newest no-ops, the change at :01 survives eight no-ops
    assertThat(j.list(0)).extracting(JournalEntry::getSourceName).containsExactly("s10", "s9", "s8", "s1");
    try (Stream<Path> files = Files.list(state.resolve("journal"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("20261126T120010.000Z.json", "20261126T120009.000Z.noop.json",
              "20261126T120008.000Z.noop.json", "20261126T120001.000Z.json");
    }
    for (int s = 11; s <= 20; s++) {
      j.write(entry(s, 1), List.of("{}"));
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
}
