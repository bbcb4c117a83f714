package io.brickyard.coordinator.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
    assertThatThrownBy(() -> NodeAddress.parse("g", "h:port")).hasMessage("node g: 'h:port': port 'port' is not a number");
    assertThat(new NodeAddress("g", "fd00::1", 7443).address()).isEqualTo("[fd00::1]:7443");
    assertThat(NodeAddress.parse("g", "[fd00::1]:7443")).isEqualTo(new NodeAddress("g", "fd00::1", 7443));
  }

  /**
   * A state directory that cannot be written (here: its path runs through a regular file, which
   * stops root too, unlike a chmod): the write fails naming the file, and the nodes in memory are
   * those of before, not the half-applied update.
   */
  @Test
  void aFailedWriteNamesTheFileAndChangesNothingInMemory() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Path f = state.resolve("nodes.conf");
    Files.writeString(f, "gluster1 10.0.0.1:7443\n");
    NodeRegistry r = new NodeRegistry(f);
    // the directory is replaced by a file under the running coordinator
    Files.delete(f);
    Files.delete(state);
    Files.writeString(state, "not a directory");
    assertThatThrownBy(() -> r.putAll(List.of(new NodeAddress("gluster2", "10.0.0.2", 7443))))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot write " + f + ": ")
        .hasMessageContaining(state.toString());
    assertThat(r.all()).containsExactly(new NodeAddress("gluster1", "10.0.0.1", 7443));
    assertThat(r.get("gluster2")).isNull();
  }

  @Test
  void tempFilesLeftByACrashAreRemovedAtStartAndNothingElse() throws Exception {
    Path f = dir.resolve("nodes.conf");
    Files.writeString(f, "gluster1 10.0.0.1:7443\n");
    Files.writeString(dir.resolve("nodes.conf.tmp"), "gluster1 10.0.0.1:74");          // earlier versions' temp
    Files.writeString(dir.resolve(".nodes.conf.123456.tmp"), "gluster1 10.0.0.1:74");  // DurableFiles' temp
    Files.writeString(dir.resolve("other.tmp"), "someone else's");
    NodeRegistry r = new NodeRegistry(f);
    assertThat(r.all()).hasSize(1);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("nodes.conf", "other.tmp");
    }
    r.putAll(List.of(new NodeAddress("gluster2", "10.0.0.2", 7443)));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("nodes.conf", "other.tmp");
    }
  }
}
