package io.brickyard.agent.nfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write on a mounted store is RecoveryStoreLabTest's (real gluster FUSE); here: never into a bare mount point. */
class RecoveryKeepaliveTest {
  @TempDir Path tmp;

  @Test
  void writesNothingUnderAMountPointWithNothingMountedOnIt() throws Exception {
    Path mp = Files.createDirectories(tmp.resolve("nfs-state"));
    RecoveryKeepalive k = new RecoveryKeepalive();
    assertThat(k.beat()).as("nothing watched yet").isFalse();
    k.watch(mp, "gluster1");
    assertThat(RecoveryKeepalive.isMount(mp)).isFalse();
    assertThat(k.beat()).isFalse();
    try (var s = Files.list(mp)) {
      assertThat(s).isEmpty();
    }
  }
}
