package io.brickyard.coordinator.nfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportIdsTest {
  @Test
  void newExportsGetTheNextIdAfterTheHighestEverGivenAndKeepTheirs() {
    List<String> problems = new ArrayList<>();
    ExportIds ids = ExportIds.parse("1:/vol1,3:/old", problems).assign(List.of("/vol1", "/vol2"));
    assertThat(problems).isEmpty();
    assertThat(ids.id("/vol1")).contains(1);
    assertThat(ids.id("/vol2")).as("3 was given to /old, whose export is gone: never reused").contains(4);
    assertThat(ids.text()).isEqualTo("1:/vol1,3:/old,4:/vol2");
  }

  @Test
  void aRegistryRoundTripsThroughItsOptionText() {
    ExportIds ids = ExportIds.empty().assign(List.of("/a", "/b/c"));
    assertThat(ExportIds.parse(ids.text(), new ArrayList<>()).asMap()).isEqualTo(ids.asMap());
    assertThat(ids.text()).isEqualTo("1:/a,2:/b/c");
  }

  @Test
  void idsTheNodesAlreadyServeAreAdoptedUnlessTheRegistryHasTheIdOrThePath() {
    ExportIds ids = ExportIds.parse("2:/vol1", new ArrayList<>())
        .adopt(Map.of(7, "/vol2", 2, "/other", 9, "/vol1"))
        .assign(List.of("/vol1", "/vol2", "/vol3"));
    assertThat(ids.id("/vol1")).contains(2);
    assertThat(ids.id("/vol2")).as("a live export keeps its id: its clients' file handles stay valid").contains(7);
    assertThat(ids.pseudoPath(2)).contains("/vol1");
    assertThat(ids.id("/vol3")).contains(8);
  }

  @Test
  void brokenEntriesAreLeftOutAndNamed() {
    List<String> problems = new ArrayList<>();
    ExportIds ids = ExportIds.parse("1:/vol1,x:/y,0:/zero,70000:/big,1:/again,5:/vol1,2:/ok", problems);
    assertThat(ids.text()).isEqualTo("1:/vol1,2:/ok");
    assertThat(problems).hasSize(5).allSatisfy(p -> assertThat(p).startsWith(ExportIds.OPTION + ": entry '"));
  }
}
