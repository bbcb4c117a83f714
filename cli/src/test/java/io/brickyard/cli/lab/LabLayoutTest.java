package io.brickyard.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.common.net.Cidr;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LabLayoutTest {
  /**
   * Storage hosts at .11.., two clients: client inside examples/lab-nfs.yaml's export network
   * 10.77.0.0/25, client2 outside it, and neither on a VIP of that example (.201, .202).
   */
  @Test
  void twoClientsOnEitherSideOfTheNfsExportsNetwork() {
    LabLayout l = LabLayout.of(Path.of("/tmp/lab"), 9);
    assertThat(l.hosts()).extracting(LabHost::name).containsExactly("gluster1", "gluster2", "gluster3", "gluster4",
        "gluster5", "gluster6", "gluster7", "gluster8", "gluster9", "client", "client2");
    assertThat(l.hosts()).extracting(LabHost::ip).doesNotHaveDuplicates().doesNotContain("10.77.0.1", "10.77.0.201", "10.77.0.202");
    Cidr exportNet = Cidr.parse("10.77.0.0/25");
    assertThat(exportNet.contains(l.host("client").ip())).isTrue();
    assertThat(l.host("client2").ip()).isEqualTo("10.77.0.200");
    assertThat(exportNet.contains(l.host("client2").ip())).isFalse();
    assertThat(l.host("client2").storage()).isFalse();
    assertThat(l.host("client2").disks()).isEmpty();
    assertThat(l.host("client2").veth()).hasSizeLessThanOrEqualTo(15);
  }
}
