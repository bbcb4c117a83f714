package io.brickyard.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** df output captured on two loop-mounted XFS filesystems, one at a path with a space. */
class FsUsageTest {
  @Test
  void parsesEveryColumnAndKeepsSpacesInTheTarget() {
    Map<String, FsUsage.Usage> u = FsUsage.parse(Fixtures.read("df/two-xfs.txt"));
    assertThat(u).containsOnlyKeys("/tmp/stcap/mnt", "/tmp/stcap/mnt with space");
    assertThat(u.get("/tmp/stcap/mnt")).isEqualTo(
        new FsUsage.Usage("/tmp/stcap/mnt", 1006632960L, 51351552L, 955281408L, 524288L, 4L, 524284L));
    assertThat(u.get("/tmp/stcap/mnt with space").size()).isEqualTo(469762048L);
  }

  @Test
  void commandEndsOptionsBeforeThePaths() {
    assertThat(FsUsage.of(List.of("-x")).argv()).containsExactly("df", "-B1",
        "--output=size,used,avail,itotal,iused,iavail,target", "--", "-x");
  }

  @Test
  void emptyOutputIsNoFilesystems() {
    assertThat(FsUsage.parse("")).isEmpty();
  }
}
