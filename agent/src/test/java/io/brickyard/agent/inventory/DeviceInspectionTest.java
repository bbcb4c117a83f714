package io.brickyard.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "in use" rules and the identity digest, on captured lsblk/wipefs/proc output. */
class DeviceInspectionTest {
  @TempDir Path tmp;

  private static Lsblk.Node node(String name, String type, List<String> mounts, List<Lsblk.Node> children) {
    return new Lsblk.Node(name, name, "/dev/" + name, "8:0", 100L << 30, type, false, true, "", "", "", "",
        mounts, children);
  }

  @Test
  void procSwapsNamesTheSwapDevice() throws IOException {
    Path swaps = tmp.resolve("swaps");
    Files.writeString(swaps, Fixtures.read("proc/swaps-loop.txt"));
    assertThat(DeviceInspection.swapKernelNames(swaps)).containsExactly("loop1");
    assertThat(DeviceInspection.swapKernelNames(tmp.resolve("none"))).isEmpty();
  }

  @Test
  void activeSwapIsInUseFromLsblkAndFromProcSwaps() {
    Lsblk.Node swapLsblk = Lsblk.parse(Fixtures.read("lsblk/loop-active-swap.json")).get(0);
    assertThat(DeviceInspection.usage(swapLsblk, List.of(), List.of("loop1")))
        .containsExactly("mounted at [SWAP]: it carries the running system ([SWAP])");
    // Where lsblk shows no [SWAP] (another mount namespace), /proc/swaps still tells.
    Lsblk.Node loop1 = Lsblk.parse(Fixtures.read("lsblk/debian12-host.json")).get(1);
    assertThat(DeviceInspection.usage(loop1, List.of(), List.of("loop1")))
        .containsExactly("active swap on loop1 (/proc/swaps)");
    assertThat(DeviceInspection.usage(loop1, List.of(), List.of())).isEmpty();
  }

  @Test
  void aPartitionOfTheOsDiskIsInUseEvenWhenItselfIsUnused() {
    Lsblk.Node spare = node("sda3", "part", List.of(), List.of());
    Lsblk.Node root = node("sda2", "part", List.of(), List.of(node("dm-0", "lvm", List.of("/"), List.of())));
    Lsblk.Node sda = node("sda", "disk", List.of(), List.of(node("sda1", "part", List.of("/boot"), List.of()), root, spare));
    Lsblk.Node sdb = node("sdb", "disk", List.of(), List.of());
    assertThat(DeviceInspection.parentDiskUsage(List.of(sdb, sda), spare, List.of()))
        .containsExactly("a partition of /dev/sda, whose filesystems are in use (/boot, /): it carries the running"
            + " system (/boot, /)");
    // A partition whose disk carries nothing mounted is fine (the captured GPT loop device).
    Lsblk.Node loop = Lsblk.parse(Fixtures.read("lsblk/loop-with-partitions.json")).get(0);
    assertThat(DeviceInspection.parentDiskUsage(List.of(loop), loop.children().get(1), List.of())).isEmpty();
    assertThat(DeviceInspection.parentDiskUsage(List.of(loop), loop.children().get(1), List.of("loop2p1")))
        .containsExactly("a partition of /dev/loop2, whose filesystems are in use (swap loop2p1)");
  }

  @Test
  void theRootLvBehindAHolderIsNamedAsTheRunningSystem() {
    Lsblk.Node sda2 = node("sda2", "part", List.of(), List.of(node("dm-0", "lvm", List.of("/"), List.of())));
    assertThat(DeviceInspection.usage(sda2, List.of("dm-0"), List.of())).containsExactly(
        "a partition or holder is mounted (/): it carries the running system (/)", "in use by dm-0");
  }

  @Test
  void digestCoversTheDiskAndEverySignature() {
    Lsblk.Node loop0 = Lsblk.parse(Fixtures.read("lsblk/debian12-host.json")).get(0);
    Lsblk.Node loop1 = Lsblk.parse(Fixtures.read("lsblk/debian12-host.json")).get(1);
    List<Wipefs.Signature> xfs = Wipefs.signatures(Fixtures.read("wipefs/xfs.json"));
    List<Wipefs.Signature> gpt = Wipefs.signatures(Fixtures.read("wipefs/gpt.json"));
    String d = DeviceInspection.identity("/dev/sdb", loop0, xfs).getDigest();
    assertThat(DeviceInspection.identity("/dev/sdb", loop0, xfs).getDigest()).isEqualTo(d);
    assertThat(DeviceInspection.identity("/dev/sdb", loop1, xfs).getDigest()).isNotEqualTo(d);
    assertThat(DeviceInspection.identity("/dev/sdb", loop0, gpt).getDigest()).isNotEqualTo(d);
    assertThat(DeviceInspection.identity("/dev/sdb", loop0, List.of()).getDigest()).isNotEqualTo(d);
    assertThat(DeviceInspection.identity("/dev/sdb", loop0, gpt).getSignaturesList())
        .containsExactly("gpt at 0x200", "gpt at 0x7ffffe00", "PMBR at 0x1fe");
  }
}
