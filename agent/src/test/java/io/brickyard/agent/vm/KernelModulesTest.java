package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Load order from a real modules.dep excerpt (fixtures/kmod/modules.dep, Debian 12 kernel 6.1). */
class KernelModulesTest {
  private static KernelModules modules() throws IOException {
    try (var in = KernelModulesTest.class.getResourceAsStream("/fixtures/kmod/modules.dep")) {
      return new KernelModules(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void dependenciesComeFirstAndOnce() throws IOException {
    List<String> order = modules().loadOrder(List.of("dm-thin-pool", "xfs"));
    assertThat(order).containsExactlyInAnyOrder(
        "kernel/lib/libcrc32c.ko",
        "kernel/drivers/md/dm-mod.ko",
        "kernel/drivers/md/dm-bufio.ko",
        "kernel/drivers/md/persistent-data/dm-persistent-data.ko",
        "kernel/drivers/md/dm-bio-prison.ko",
        "kernel/drivers/md/dm-thin-pool.ko",
        "kernel/fs/xfs/xfs.ko");
    // every module after each of its dependencies, as listed in modules.dep
    assertBefore(order, "kernel/drivers/md/dm-mod.ko", "kernel/drivers/md/dm-bufio.ko");
    assertBefore(order, "kernel/drivers/md/dm-bufio.ko", "kernel/drivers/md/persistent-data/dm-persistent-data.ko");
    assertBefore(order, "kernel/lib/libcrc32c.ko", "kernel/drivers/md/persistent-data/dm-persistent-data.ko");
    assertBefore(order, "kernel/drivers/md/persistent-data/dm-persistent-data.ko", "kernel/drivers/md/dm-thin-pool.ko");
    assertBefore(order, "kernel/drivers/md/dm-bio-prison.ko", "kernel/drivers/md/dm-thin-pool.ko");
    assertBefore(order, "kernel/lib/libcrc32c.ko", "kernel/fs/xfs/xfs.ko");
  }

  private static void assertBefore(List<String> order, String first, String then) {
    assertThat(order.indexOf(first)).as(first + " before " + then).isLessThan(order.indexOf(then));
  }

  @Test
  void virtioRingBeforeVirtio() throws IOException {
    List<String> order = modules().loadOrder(List.of("virtio_pci", "9pnet_virtio"));
    assertThat(order.indexOf("kernel/drivers/virtio/virtio_ring.ko"))
        .isLessThan(order.indexOf("kernel/drivers/virtio/virtio.ko"));
    assertThat(order.indexOf("kernel/drivers/virtio/virtio.ko"))
        .isLessThan(order.indexOf("kernel/drivers/virtio/virtio_pci.ko"));
    assertThat(order.indexOf("kernel/net/9p/9pnet.ko")).isLessThan(order.indexOf("kernel/net/9p/9pnet_virtio.ko"));
    assertThat(order).doesNotHaveDuplicates();
  }

  @Test
  void namesAreNormalised() throws IOException {
    assertThat(KernelModules.nameOf("kernel/drivers/md/dm-thin-pool.ko.xz")).isEqualTo("dm_thin_pool");
    assertThat(modules().known("dm_mod")).isTrue();
    assertThat(modules().known("nonexistent")).isFalse();
    assertThat(modules().loadOrder(List.of("nonexistent"))).isEmpty();
  }
}
