package io.brickyard.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsblkTest {
  @Test
  void parsesHostTreeWithMountpointsAndBooleans() {
    List<Lsblk.Node> nodes = Lsblk.parse(Fixtures.read("lsblk/debian12-host.json"));
    Lsblk.Node vda = nodes.stream().filter(n -> n.name().equals("vda")).findFirst().orElseThrow();
    assertThat(vda.type()).isEqualTo("disk");
    assertThat(vda.majMin()).isEqualTo("254:0");
    assertThat(vda.size()).isEqualTo(256L << 30);
    assertThat(vda.mountpoints()).contains("/");
    assertThat(vda.readOnly()).isFalse();
    assertThat(vda.mountedAnywhere()).isTrue();
  }

  @Test
  void partitionsAreChildren() {
    List<Lsblk.Node> nodes = Lsblk.parse(Fixtures.read("lsblk/loop-with-partitions.json"));
    assertThat(nodes).hasSize(1);
    Lsblk.Node loop = nodes.get(0);
    assertThat(loop.type()).isEqualTo("loop");
    assertThat(loop.size()).isEqualTo(2L << 30);
    assertThat(loop.children()).extracting(Lsblk.Node::type).containsExactly("part", "part");
    assertThat(loop.children().get(0).size()).isEqualTo(1L << 30);
    assertThat(loop.mountpoints()).isEmpty(); // [null] in lsblk's JSON means "not mounted"
  }
}
