package io.brickyard.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import org.junit.jupiter.api.Test;

class WipefsTest {
  @Test
  void xfsSignature() {
    assertThat(Wipefs.parse(Fixtures.read("wipefs/xfs.json"))).containsExactly("xfs");
  }

  @Test
  void gptHeadersAreDeduplicated() {
    assertThat(Wipefs.parse(Fixtures.read("wipefs/gpt.json"))).containsExactly("gpt", "PMBR");
  }

  @Test
  void cleanDevice() {
    assertThat(Wipefs.parse(Fixtures.read("wipefs/empty.json"))).isEmpty();
    assertThat(Wipefs.parse("")).isEmpty();
  }

  @Test
  void commandIsNoActJson() {
    assertThat(Wipefs.probe("/dev/sdb").argv()).containsExactly("wipefs", "--no-act", "--json", "/dev/sdb");
  }
}
