package io.brickyard.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditDistanceTest {
  @Test
  void countsInsertionsDeletionsAndSubstitutions() {
    assertThat(EditDistance.between("", "")).isZero();
    assertThat(EditDistance.between("replica", "replica")).isZero();
    assertThat(EditDistance.between("replcia", "replica")).isEqualTo(2);  // a swap is two edits
    assertThat(EditDistance.between("mountpont", "mountpoint")).isEqualTo(1);
    assertThat(EditDistance.between("performance.cache-sise", "performance.cache-size")).isEqualTo(1);
    assertThat(EditDistance.between("", "abc")).isEqualTo(3);
    assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
  }
}
