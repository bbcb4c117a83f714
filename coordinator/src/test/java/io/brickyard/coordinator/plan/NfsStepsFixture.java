package io.brickyard.coordinator.plan;

import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.SpecParser;
import io.brickyard.coordinator.spec.VipSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The lab's cluster with an NFS service: vol1 rw and vol2 ro to 10.77.0.0/25, a VIP per node. */
public final class NfsStepsFixture {
  private NfsStepsFixture() {}

  public static ClusterSpec spec() throws Exception {
    ClusterSpec lab = SpecParser.parse(Path.of("..", "examples", "lab.yaml"));
    List<ExportSpec.Client> rw = List.of(new ExportSpec.Client(List.of(Cidr.parse("10.77.0.0/25")), ExportSpec.Access.RW));
    NfsSpec nfs = new NfsSpec(List.of("gluster1", "gluster2"), 10, 10, List.of(0), NfsSpec.Recovery.defaults(),
        List.of(new ExportSpec("vol1", "/vol1", ExportSpec.Access.RW, ExportSpec.Squash.ROOT_SQUASH, rw, List.of(4)),
            new ExportSpec("vol2", "/vol2", ExportSpec.Access.RO, ExportSpec.Squash.ROOT_SQUASH,
                List.of(new ExportSpec.Client(List.of(Cidr.parse("10.77.0.0/25")), ExportSpec.Access.RO)), List.of(4))),
        List.of(new VipSpec(Cidr.parse("10.77.0.201/24"), "gluster1", Optional.empty()),
            new VipSpec(Cidr.parse("10.77.0.202/24"), "gluster2", Optional.empty())));
    return new ClusterSpec(lab.name(), lab.nodes(), lab.firewall(), lab.storage(), lab.volumes(), Optional.of(nfs));
  }
}
