package io.brickyard.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void humanFormatMatchesLvmMessages() {
    assertThat(Sizes.human(12L << 30)).isEqualTo("12.00 GiB");
    assertThat(Sizes.human(5347737600L)).isEqualTo("4.98 GiB");
    assertThat(Sizes.human(8388608)).isEqualTo("8.00 MiB");
    assertThat(Sizes.roundUp(1, 4194304)).isEqualTo(4194304);
    assertThat(Sizes.roundUp(1L << 30, 4194304)).isEqualTo(1L << 30);
  }

  @Test
  void compactIsTheLargestExactUnit() {
    assertThat(Sizes.compact(1L << 30)).isEqualTo("1G");
    assertThat(Sizes.compact(1536L << 20)).isEqualTo("1536M");
    assertThat(Sizes.compact(1L << 50)).isEqualTo("1P");
    assertThat(Sizes.compact(1000)).isEqualTo("1000B");
  }
}
