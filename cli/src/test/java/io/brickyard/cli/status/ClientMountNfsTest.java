package io.brickyard.cli.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.cli.CliRun;
import io.brickyard.cli.UserException;
import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.ExportSpec.Access;
import io.brickyard.coordinator.spec.ExportSpec.Client;
import io.brickyard.coordinator.spec.ExportSpec.Squash;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.VipSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code client-mount --nfs}: the NFS model is built here as examples/lab-nfs.yaml describes it
 * (the spec parser's nfs mapping is another branch's work, so the CLI is tested on the records).
 */
class ClientMountNfsTest {
  static final String SPEC = Path.of("..", "examples", "lab.yaml").toString();

  static ExportSpec export(String volume, Access access, List<Integer> protocols, Client... clients) {
    return new ExportSpec(volume, ExportSpec.defaultPseudoPath(volume), access, Squash.ROOT_SQUASH, List.of(clients), protocols);
  }

  static VipSpec vip(String address, String home) {
    return new VipSpec(Cidr.parse(address), home, Optional.empty());
  }

  /** examples/lab-nfs.yaml's nfs section. */
  static NfsSpec labNfs(List<Integer> minorVersions) {
    return new NfsSpec(List.of("gluster1", "gluster2"), 10, 10, minorVersions, NfsSpec.Recovery.defaults(),
        List.of(export("vol1", Access.RW, List.of(4), new Client(List.of(Cidr.parse("10.77.0.0/25")), Access.RW)),
            export("vol2", Access.RO, List.of(4), new Client(List.of(Cidr.parse("10.77.0.0/25")), Access.RO))),
        List.of(vip("10.77.0.201/24", "gluster1"), vip("10.77.0.202/24", "gluster2")));
  }

  @Test
  void theLabsVolumeMountsThroughTheFirstVipAtTheHighestMinorVersionServed() {
    assertThat(ClientMountCommand.nfsLines(Optional.of(labNfs(List.of(0))), "vol1", "/mnt/vol1", "lab-nfs.yaml"))
        .containsExactly("mkdir -p /mnt/vol1",
            "mount -t nfs4 -o vers=4.0,proto=tcp,hard,timeo=600 10.77.0.201:/vol1 /mnt/vol1",
            "# /etc/fstab:",
            "10.77.0.201:/vol1 /mnt/vol1 nfs4 vers=4.0,proto=tcp,hard,timeo=600,_netdev,nofail 0 0",
            "# the other virtual IPs serve it too (each client mounts one; spread clients over them): 10.77.0.202",
            "# clients allowed by the export: 10.77.0.0/25 rw");
    assertThat(ClientMountCommand.nfsLines(Optional.of(labNfs(List.of(0, 1, 2))), "vol2", "/srv/v2", "x.yaml"))
        .contains("mount -t nfs4 -o vers=4.2,proto=tcp,hard,timeo=600 10.77.0.201:/vol2 /srv/v2")
        .contains("# clients allowed by the export: 10.77.0.0/25 ro");
    assertThat(ClientMountCommand.nfsLines(Optional.of(labNfs(List.of(1, 0))), "vol1", "/mnt/vol1", "x.yaml"))
        .contains("mount -t nfs4 -o vers=4.1,proto=tcp,hard,timeo=600 10.77.0.201:/vol1 /mnt/vol1");
  }

  @Test
  void oneVipNoNoteAndAnNfsv3OnlyExportGetsAv3Mount() {
    NfsSpec nfs = new NfsSpec(List.of("gluster1"), 90, 60, NfsSpec.DEFAULT_MINOR_VERSIONS, NfsSpec.Recovery.defaults(),
        List.of(export("vol1", Access.RW, List.of(3), new Client(List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("10.1.0.5/32")), Access.RW))),
        List.of(vip("10.0.0.100/24", "gluster1")));
    assertThat(ClientMountCommand.nfsLines(Optional.of(nfs), "vol1", "/mnt/vol1", "x.yaml")).containsExactly(
        "mkdir -p /mnt/vol1",
        "mount -t nfs -o vers=3,proto=tcp,hard,timeo=600 10.0.0.100:/vol1 /mnt/vol1",
        "# /etc/fstab:",
        "10.0.0.100:/vol1 /mnt/vol1 nfs vers=3,proto=tcp,hard,timeo=600,_netdev,nofail 0 0",
        "# clients allowed by the export: 10.0.0.0/24 10.1.0.5/32 rw");
  }

  @Test
  void aVolumeNotExportedOrASpecWithoutNfsOrVipsIsBadInput() {
    assertThatThrownBy(() -> ClientMountCommand.nfsLines(Optional.of(labNfs(List.of(0))), "vol3", "/mnt/vol3", "lab-nfs.yaml"))
        .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("volume 'vol3' is not exported in lab-nfs.yaml's nfs section; exported: [vol1, vol2]");
    NfsSpec noVips = new NfsSpec(List.of("gluster1"), 90, 60, List.of(0), NfsSpec.Recovery.defaults(),
        labNfs(List.of(0)).exports(), List.of());
    assertThatThrownBy(() -> ClientMountCommand.nfsLines(Optional.of(noVips), "vol1", "/mnt/vol1", "a.yaml"))
        .isInstanceOfSatisfying(UserException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("has no vips");
    // through the command: examples/lab.yaml has no nfs section
    CliRun r = CliRun.of("client-mount", "vol1", "--nfs", "-f", SPEC);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).endsWith("brickyard: " + SPEC + " has no nfs section: volume 'vol1' is not exported over NFS "
        + "(without --nfs: the FUSE mount)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void withoutNfsTheFuseMountIsUnchanged() {
    CliRun r = CliRun.of("client-mount", "vol1", "-f", SPEC);
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        mkdir -p /mnt/vol1
        mount -t glusterfs -o backup-volfile-servers=gluster2 gluster1:/vol1 /mnt/vol1
        # /etc/fstab:
        gluster1:/vol1 /mnt/vol1 glusterfs defaults,_netdev,backup-volfile-servers=gluster2 0 0
        """);
  }
}
