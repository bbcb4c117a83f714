package io.brickyard.coordinator.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRegistryTest {
  @TempDir Path dir;

  @Test
  void readsUpdatesAndPersists() throws Exception {
    Path f = dir.resolve("nodes.conf");
    Files.writeString(f, "# comment\ngluster1 10.0.0.1:7443\n\ngluster2 10.0.0.2\n");
    NodeRegistry r = new NodeRegistry(f);
    assertThat(r.all()).containsExactly(new NodeAddress("gluster1", "10.0.0.1", 7443), new NodeAddress("gluster2", "10.0.0.2", 7443));
    r.putAll(List.of(new NodeAddress("gluster3", "10.0.0.3", 7000), new NodeAddress("gluster1", "10.0.0.9", 7443)));
    assertThat(new NodeRegistry(f).all()).extracting(NodeAddress::address).containsExactly("10.0.0.9:7443", "10.0.0.2:7443", "10.0.0.3:7000");
  }

  @Test
  void badLinesNameFileAndLine() throws Exception {
    Path f = dir.resolve("nodes.conf");
    Files.writeString(f, "gluster1 10.0.0.1:7443 extra\n");
    assertThatThrownBy(() -> new NodeRegistry(f)).hasMessageContaining("nodes.conf:1: expected 'NAME HOST:PORT'");
    assertThatThrownBy(() -> NodeAddress.parse("g", "h:port")).hasMessageContaining("bad port");
  }
}
