package io.brickyard.agent.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizeSpecTest {

  @Test
  void binaryUnits() {
    assertThat(SizeSpec.parse("1G", "size")).isEqualTo(new SizeSpec.Absolute(1L << 30));
    assertThat(SizeSpec.parse("500M", "size")).isEqualTo(new SizeSpec.Absolute(500L << 20));
    assertThat(SizeSpec.parse("256k", "size")).isEqualTo(new SizeSpec.Absolute(256L << 10));
    assertThat(SizeSpec.parse("2T", "size")).isEqualTo(new SizeSpec.Absolute(2L << 40));
    assertThat(SizeSpec.parse("10GiB", "size")).isEqualTo(new SizeSpec.Absolute(10L << 30));
    assertThat(SizeSpec.parse("4096", "size")).isEqualTo(new SizeSpec.Absolute(4096));
    assertThat(SizeSpec.parse("1.5G", "size")).isEqualTo(new SizeSpec.Absolute(3L << 29));
  }

  @Test
  void percentForms() {
    assertThat(SizeSpec.parse("100%FREE", "size")).isEqualTo(new SizeSpec.Percent(100, "FREE"));
    assertThat(SizeSpec.parse("80%vg", "size")).isEqualTo(new SizeSpec.Percent(80, "VG"));
    assertThat(((SizeSpec.Percent) SizeSpec.parse("50%PVS", "size")).lvmArg()).isEqualTo("50%PVS");
  }

  @Test
  void lvmArgumentIsTheLargestExactUnit() {
    assertThat(SizeSpec.parseAbsolute("1G", "x").lvmArg()).isEqualTo("1G");
    assertThat(SizeSpec.parseAbsolute("1536M", "x").lvmArg()).isEqualTo("1536M");
    assertThat(SizeSpec.parseAbsolute("1.5G", "x").lvmArg()).isEqualTo("1536M");
    assertThat(SizeSpec.parseAbsolute("1000", "x").lvmArg()).isEqualTo("1000B");
  }

  @Test
  void badInputNamesTheField() {
    assertThatThrownBy(() -> SizeSpec.parse("", "virtual_size")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("virtual_size");
    assertThatThrownBy(() -> SizeSpec.parse("5X", "size")).hasMessageContaining("size").hasMessageContaining("5X");
    assertThatThrownBy(() -> SizeSpec.parse("0G", "size")).hasMessageContaining("positive");
    assertThatThrownBy(() -> SizeSpec.parse("150%FREE", "size")).hasMessageContaining("1..100");
    assertThatThrownBy(() -> SizeSpec.parseAbsolute("100%FREE", "virtual_size"))
        .hasMessageContaining("percentage is not allowed");
    assertThatThrownBy(() -> SizeSpec.parse("1.3K", "size")).hasMessageContaining("whole number of bytes");
    assertThatThrownBy(() -> SizeSpec.parse("-1G", "size")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void optionalEmptyIsNull() {
    assertThat(SizeSpec.optional("", "chunk_size")).isNull();
    assertThat(SizeSpec.optional("256K", "chunk_size").bytes()).isEqualTo(262144);
  }
}
