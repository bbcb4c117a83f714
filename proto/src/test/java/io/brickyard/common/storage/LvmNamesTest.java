package io.brickyard.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LvmNamesTest {
  @Test
  void lvmNameRules() {
    assertThat(LvmNames.problem("vg_bricks", false)).isNull();
    assertThat(LvmNames.problem("-vg", false)).contains("not a valid LVM name");
    assertThat(LvmNames.problem("..", false)).contains("not a valid LVM name");
    assertThat(LvmNames.problem("a".repeat(128), false)).contains("at most 127");
    // LV-only rules: a VG may be called snapshot1, an LV may not
    assertThat(LvmNames.problem("snapshot1", false)).isNull();
    assertThat(LvmNames.problem("snapshot1", true)).contains("snapshot or pvmove");
    assertThat(LvmNames.problem("pool_tdata", true))
        .isEqualTo("'pool_tdata' is not a valid LV name: LVM reserves names containing _tdata");
  }
}
