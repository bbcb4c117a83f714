package io.brickyard.agent.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.TakeoverLink;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EnsureRecoveryStore's request checks (each refusal names the field) and its refusals before any
 * change; the mount and the links themselves are proved on real glusterfs in RecoveryStoreLabTest.
 */
class RecoveryStoreTest {
  @TempDir Path tmp;

  private static EnsureRecoveryStoreRequest.Builder req() {
    return EnsureRecoveryStoreRequest.newBuilder().setVolume("brickyard-nfs-state")
        .setMountPoint("/var/lib/brickyard/nfs-state").setNode("gluster1")
        .addLinks(TakeoverLink.newBuilder().setAddress("10.0.0.102").setHolderNode("gluster2"));
  }

  @Test
  void theDefaultLayoutIsAccepted() {
    RecoveryStore.Wanted w = RecoveryStore.validate(req().addLinks(TakeoverLink.newBuilder().setAddress("fd00::7")
        .setHolderNode("gluster-3")).build());
    assertThat(w.source()).isEqualTo("localhost:/brickyard-nfs-state");
    assertThat(w.nodeDir()).isEqualTo("/var/lib/brickyard/nfs-state/nodes/gluster1");
    assertThat(w.links()).containsExactly(java.util.Map.entry("10.0.0.102", "gluster2"),
        java.util.Map.entry("fd00::7", "gluster-3"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "all", "-x", "vol/1", "vol 1", "vol1;"})
  void volume(String v) {
    assertThatThrownBy(() -> RecoveryStore.validate(req().setVolume(v).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("volume: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"relative", "/var/lib/brickyard/../x", "/a/", "/a//b", "/a b", "/a\"b", "/a\nb", "/etc/x",
      "/var/lib", "/run/nfs-state", "/var/lib/nfs/ganesha", "/", "/tmp"})
  void mountPoint(String mp) {
    assertThatThrownBy(() -> RecoveryStore.validate(req().setMountPoint(mp).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mount_point");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-g1", "g1-", "g1.example", "../x", "a/b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
  void nodeAndHolderAreDnsLabels(String name) {
    assertThatThrownBy(() -> RecoveryStore.validate(req().setNode(name).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("node: ");
    assertThatThrownBy(() -> RecoveryStore.validate(req().setLinks(0, TakeoverLink.newBuilder()
        .setAddress("10.0.0.102").setHolderNode(name)).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("links[0].holder_node: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0.0/24", "010.0.0.1", "10.0.0.1 ", "host1", "FD00::7", "fd00:0::7", "../10.0.0.1",
      "1.2.3.256"})
  void addressesAreCanonicalIpLiterals(String address) {
    assertThatThrownBy(() -> RecoveryStore.validate(req().setLinks(0, TakeoverLink.newBuilder()
        .setAddress(address).setHolderNode("gluster2")).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("links[0].address: ");
  }

  @Test
  void anAddressNamedTwiceIsRefused() {
    assertThatThrownBy(() -> RecoveryStore.validate(req().addLinks(TakeoverLink.newBuilder()
        .setAddress("10.0.0.102").setHolderNode("gluster1")).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("links[1].address: 10.0.0.102 is named twice");
  }

  /** findmnt's own output for a tmpfs at the mount point: refused before anything changes. */
  @Test
  void somethingElseMountedThereIsRefusedAndNothingChanges() throws Exception {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "");
    List<String> ran = new ArrayList<>();
    String json = "{\"filesystems\": [{\"target\": \"/srv/state\", \"source\": \"tmpfs\", \"fstype\": \"tmpfs\", "
        + "\"options\": \"rw,relatime\", \"maj:min\": \"0:52\"}]}";
    CommandRunner runner = c -> {
      ran.add(String.join(" ", c.argv()));
      return new CommandResult(c, 0, json, "", java.time.Duration.ZERO, false);
    };
    RecoveryStore store = new RecoveryStore(tmp, fstab, tmp.resolve("fstab.bak"));
    assertThatThrownBy(() -> store.ensure(new Operation(runner, false), req().setMountPoint("/srv/state").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("/srv/state already has tmpfs (tmpfs) mounted on it");
    assertThat(ran).containsExactly("findmnt --json --list -o TARGET,SOURCE,FSTYPE,OPTIONS,MAJ:MIN");
    assertThat(tmp.resolve("srv")).doesNotExist();
    assertThat(Files.readString(fstab)).isEmpty();
  }

  @Test
  void aNonEmptyDirectoryIsNotMountedOver() throws Exception {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "");
    Files.createDirectories(tmp.resolve("srv/state"));
    Files.writeString(tmp.resolve("srv/state/keep.txt"), "x");
    CommandRunner runner = c -> new CommandResult(c, 0, "{\"filesystems\": []}", "", java.time.Duration.ZERO, false);
    RecoveryStore store = new RecoveryStore(tmp, fstab, tmp.resolve("fstab.bak"));
    assertThatThrownBy(() -> store.ensure(new Operation(runner, false), req().setMountPoint("/srv/state").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("is not empty (keep.txt)");
  }
}
