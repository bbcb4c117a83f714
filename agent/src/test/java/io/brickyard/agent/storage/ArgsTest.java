package io.brickyard.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.agent.v1.EnsureXfsRequest;
import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void mkfsDefaults() {
    assertThat(XfsFormatter.mkfsArgv(EnsureXfsRequest.getDefaultInstance(), "/dev/sdb"))
        .containsExactly("mkfs.xfs", "-i", "size=512", "-n", "size=8192", "/dev/sdb");
  }

  @Test
  void mkfsRaidAndLabel() {
    EnsureXfsRequest r = EnsureXfsRequest.newBuilder().setInodeSize(1024).setNamingSize(4096)
        .setStripeUnit("256k").setStripeWidth(4).setLabel("brick_1").build();
    assertThat(XfsFormatter.mkfsArgv(r, "/dev/data/vol1")).containsExactly("mkfs.xfs", "-i", "size=1024",
        "-n", "size=4096", "-d", "su=256k,sw=4", "-L", "brick_1", "/dev/data/vol1");
  }

  @Test
  void mkfsRejectsBadInputNamingTheField() {
    assertThatThrownBy(() -> XfsFormatter.mkfsArgv(EnsureXfsRequest.newBuilder().setInodeSize(500).build(), "/dev/x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inode_size");
    assertThatThrownBy(() -> XfsFormatter.mkfsArgv(EnsureXfsRequest.newBuilder().setStripeUnit("256k").build(), "/dev/x"))
        .hasMessageContaining("stripe_width");
    assertThatThrownBy(() -> XfsFormatter.mkfsArgv(EnsureXfsRequest.newBuilder().setStripeUnit("1;rm").setStripeWidth(2)
        .build(), "/dev/x")).hasMessageContaining("stripe_unit");
    assertThatThrownBy(() -> XfsFormatter.mkfsArgv(EnsureXfsRequest.newBuilder().setLabel("thirteen_char").build(), "/dev/x"))
        .hasMessageContaining("label");
  }

  @Test
  void paths() {
    assertThat(Args.path("mount_point", "/gluster/vol1/brick1/")).isEqualTo("/gluster/vol1/brick1");
    assertThatThrownBy(() -> Args.path("mount_point", "/")).hasMessageContaining("mount_point");
    assertThatThrownBy(() -> Args.path("mount_point", "rel/x")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> Args.path("mount_point", "/a/../etc")).hasMessageContaining("normalized");
    assertThatThrownBy(() -> Args.path("path", "/a\nb")).hasMessageContaining("path");
    assertThatThrownBy(() -> Args.device("device", "sdb")).hasMessageContaining("device");
    assertThatThrownBy(() -> Args.option("mount_options", "rw,ro")).hasMessageContaining("mount_options");
  }

  @Test
  void systemDirectoriesAreNoMountPoints() {
    for (String mp : java.util.List.of("/var/lib/glusterd", "/var/lib/glusterd/vols", "/etc", "/etc/x", "/var",
        "/var/lib", "/home", "/boot/efi", "/proc/x", "/run/gluster", "/usr/local/b")) {
      assertThatThrownBy(() -> Args.mountPoint("mount_point", mp)).as(mp)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mount_point: " + mp + " is");
    }
    for (String mp : java.util.List.of("/gluster/vol1/brick1", "/var/lib/bricks/b1", "/srv/gluster/b1", "/data/b1",
        "/tmp/junit1/gluster/vol1/brick1")) {
      assertThat(Args.mountPoint("mount_point", mp)).isEqualTo(mp);
    }
  }

  @Test
  void optionsTheKernelNeverShowsAreNotMissingFromALiveMount() {
    MountTable.Mount live = new MountTable.Mount("/b", "/dev/sdb", "xfs",
        "rw,nosuid,nodev,noatime,nouuid,inode64,logbufs=8,logbsize=32k,noquota", "8:16");
    assertThat(Mounter.missingLive(live, Mounter.DEFAULT_OPTIONS)).isEmpty();
    MountTable.Mount old = new MountTable.Mount("/b", "/dev/sdb", "xfs",
        "rw,noatime,nouuid,inode64,logbufs=8,logbsize=32k,noquota", "8:16");
    assertThat(Mounter.missingLive(old, Mounter.DEFAULT_OPTIONS)).containsExactly("nosuid", "nodev");
  }
}
