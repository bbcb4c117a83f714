package io.brickyard.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.BlockDevice;
import io.brickyard.api.agent.v1.Inventory;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real inventory against real loop devices (root): a private "/dev" holding {@code sdb} for a loop
 * device, the same trick the lab uses. The device is reported as /dev-dir/sdb, available when
 * clean, rejected with the real signature once mkfs.xfs has run on it.
 */
@Tag("lab")
class InventoryCollectorLabTest {
  @TempDir Path tmp;
  final ProcessRunner runner = new ProcessRunner();
  final List<String> loops = new ArrayList<>();

  @AfterEach
  void detach() {
    loops.forEach(l -> runner.run(Command.of("losetup", "-d", l)));
  }

  private String loop(long size) throws Exception {
    Path img = tmp.resolve("disk" + loops.size() + ".img");
    try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
      f.setLength(size);
    }
    String loop = runner.runChecked(Command.of("losetup", "--find", "--show", img.toString())).stdout().strip();
    loops.add(loop);
    return loop;
  }

  @Test
  void cleanDiskAvailableThenRejectedAfterMkfs() throws Exception {
    String loop = loop(2L << 30);
    Path dev = Files.createDirectory(tmp.resolve("dev"));
    String mm = Files.readString(Path.of("/sys/block", loop.substring(5), "dev")).strip();
    runner.runChecked(Command.of("mknod", dev.resolve("sdb").toString(), "b", mm.split(":")[0], mm.split(":")[1]));
    InventoryCollector c = new InventoryCollector(runner, dev, Path.of("/sys/block"));

    Inventory inv = c.collect(0);
    assertThat(inv.getDevicesList()).hasSize(1); // only what this "/dev" holds, not every loop of the kernel
    BlockDevice d = inv.getDevices(0);
    assertThat(d.getPath()).isEqualTo(dev.resolve("sdb").toString());
    assertThat(d.getKernelName()).isEqualTo(loop.substring(5));
    assertThat(d.getSizeBytes()).isEqualTo(2L << 30);
    assertThat(d.getAvailable()).as(d.getRejectedReasonsList().toString()).isTrue();

    runner.runChecked(Command.of("mkfs.xfs", "-q", dev.resolve("sdb").toString()));
    BlockDevice after = c.collect(0).getDevices(0);
    assertThat(after.getAvailable()).isFalse();
    assertThat(after.getSignaturesList()).containsExactly("xfs");
    assertThat(after.getRejectedReasonsList()).containsExactly("has signature xfs");
  }

  @Test
  void smallDiskIsTooSmall() throws Exception {
    String loop = loop(64L << 20);
    Path dev = Files.createDirectory(tmp.resolve("dev"));
    String mm = Files.readString(Path.of("/sys/block", loop.substring(5), "dev")).strip();
    runner.runChecked(Command.of("mknod", dev.resolve("sdc").toString(), "b", mm.split(":")[0], mm.split(":")[1]));
    BlockDevice d = new InventoryCollector(runner, dev, Path.of("/sys/block")).collect(0).getDevices(0);
    assertThat(d.getRejectedReasonsList()).containsExactly("too small (67108864 bytes < 1073741824)");
  }
}
