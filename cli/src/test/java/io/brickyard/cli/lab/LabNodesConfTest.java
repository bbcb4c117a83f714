package io.brickyard.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabNodesConfTest {
  @TempDir Path root;

  /** The coordinator reads back exactly the lab's storage hosts, and an earlier lab's list does not survive. */
  @Test
  void theCoordinatorReadsTheLabsStorageHosts() throws Exception {
    LabLayout layout = LabLayout.of(root, 2);
    Files.createDirectories(layout.coordinatorDir());
    Files.writeString(layout.coordinatorDir().resolve("nodes.conf"), "gluster9 10.77.0.19:7443\n");
    Lab.writeNodesConf(layout);
    assertThat(new NodeRegistry(layout.coordinatorDir().resolve("nodes.conf")).all()).containsExactly(
        new NodeAddress("gluster1", "10.77.0.11", 7443), new NodeAddress("gluster2", "10.77.0.12", 7443));
  }
}
