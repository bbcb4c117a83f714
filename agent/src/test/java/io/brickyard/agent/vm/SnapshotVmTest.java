package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gluster snapshots on real thin LVs: one glusterd inside the VM (docs/vm-tier.md), the brick made
 * by the agent's LvmService and StorageService. One boot runs {@link SnapshotVmScenario}.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotVmTest {
  @TempDir
  static Path tmp;
  private VmResults r;
  private String unavailable;

  @BeforeAll
  void bootTheVm() throws Exception {
    try {
      r = NodeVm.boot(tmp, new NodeVm.Guest(SnapshotVmScenario.class.getName(),
          (host, dir) -> new QemuVm(host, dir)
              .disk(QemuVm.sparseDisk(dir.resolve("vda.img"), 4 * NodeVm.GIB))
              .disk(QemuVm.sparseDisk(dir.resolve("vdb.img"), NodeVm.GIB / 2))
              .outDir(java.nio.file.Files.createDirectories(dir.resolve("out")))
              .timeout(Duration.ofMinutes(15)),
          Path.of("target", "vm-captures", "snapshot"))).results();
    } catch (NodeVm.Unavailable e) {
      unavailable = e.getMessage();
    }
  }

  @BeforeEach
  void requireTheVm() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
  }

  @Test
  void glusterdRunsInTheGuest() {
    assertThat(r.get("glusterd").get("up").getAsBoolean()).isTrue();
  }
}
