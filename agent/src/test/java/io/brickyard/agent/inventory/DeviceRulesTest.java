package io.brickyard.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceRulesTest {
  private static Lsblk.Node disk(long size, boolean ro, List<String> mps, List<Lsblk.Node> children) {
    return new Lsblk.Node("sdb", "sdb", "/dev/sdb", "8:16", size, "disk", ro, true, "", "", "", "", mps, children);
  }

  @Test
  void cleanDiskIsAvailable() {
    assertThat(DeviceRules.rejections(disk(4L << 30, false, List.of(), List.of()), List.of(), List.of(), 0)).isEmpty();
  }

  @Test
  void everyReasonIsReported() {
    Lsblk.Node part = new Lsblk.Node("sdb1", "sdb1", "/dev/sdb1", "8:17", 1 << 20, "part", false, true, "", "", "", "",
        List.of("/boot"), List.of());
    List<String> why = DeviceRules.rejections(disk(1 << 20, true, List.of(), List.of(part)), List.of("gpt", "PMBR"),
        List.of(), 0);
    assertThat(why).containsExactly("has partitions", "has signature gpt, PMBR", "a partition or holder is mounted",
        "read-only", "too small (1048576 bytes < 1073741824)");
  }

  @Test
  void mountedAndHeldDevice() {
    List<String> why = DeviceRules.rejections(disk(4L << 30, false, List.of("/gluster/vol1/brick1"), List.of()),
        List.of("xfs"), List.of("dm-0"), 0);
    assertThat(why).containsExactly("has signature xfs", "mounted at /gluster/vol1/brick1", "in use by dm-0");
  }

  @Test
  void realPartitionedLoopIsRejected() {
    Lsblk.Node loop = Lsblk.parse(Fixtures.read("lsblk/loop-with-partitions.json")).get(0);
    assertThat(DeviceRules.rejections(loop, Wipefs.parse(Fixtures.read("wipefs/gpt.json")), List.of(), 0))
        .containsExactly("has partitions", "has signature gpt, PMBR");
  }

  @Test
  void minimumSizeIsConfigurable() {
    assertThat(DeviceRules.rejections(disk(4L << 30, false, List.of(), List.of()), List.of(), List.of(), 8L << 30))
        .containsExactly("too small (4294967296 bytes < 8589934592)");
  }
}
