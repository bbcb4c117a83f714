package io.brickyard.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * blkid and findmnt parsers on real output captured on this machine with loop devices (see
 * src/test/resources/fixtures/README.md for the exact commands).
 */
class ParsersTest {
  static String fixture(String name) throws IOException {
    try (InputStream in = ParsersTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static CommandResult result(int code, String out) {
    return new CommandResult(Blkid.probe("/dev/loop0"), code, out, "", Duration.ZERO, false);
  }

  @Test
  void blkidXfsWithLabel() throws IOException {
    Blkid.Probe p = Blkid.parse(fixture("blkid/xfs-labelled.txt"));
    assertThat(p.type()).isEqualTo("xfs");
    assertThat(p.uuid()).isEqualTo("722b21b7-50cb-434e-ab9f-992868fdc303");
    assertThat(p.label()).isEqualTo("brick1");
    assertThat(p.usage()).isEqualTo("filesystem");
    assertThat(p.empty()).isFalse();
  }

  @Test
  void blkidExt4() throws IOException {
    Blkid.Probe p = Blkid.result(result(0, fixture("blkid/ext4.txt")));
    assertThat(p.type()).isEqualTo("ext4");
    assertThat(p.label()).isEqualTo("old");
  }

  @Test
  void blkidExitTwoIsAnEmptyDevice() {
    // Real: blkid -p -o export on a fresh loop device prints nothing and exits 2.
    assertThat(Blkid.result(result(2, ""))).isEqualTo(Blkid.Probe.NOTHING);
    assertThat(Blkid.Probe.NOTHING.empty()).isTrue();
  }

  @Test
  void blkidOtherFailuresThrow() {
    assertThatThrownBy(() -> Blkid.result(result(4, ""))).isInstanceOf(CommandFailedException.class);
  }

  @Test
  void blkidUnescapesValues() {
    assertThat(Blkid.parse("LABEL=my\\ disk\nTYPE=xfs\n").label()).isEqualTo("my disk");
  }

  @Test
  void findmntListFindsBothMountsOfOneDevice() throws IOException {
    MountTable t = MountTable.parse(fixture("findmnt/list-two-loop-mounts.json"));
    assertThat(t.mounts()).hasSizeGreaterThan(5);
    assertThat(t.at("/")).singleElement().satisfies(m -> assertThat(m.source()).isEqualTo("/dev/vda"));
    assertThat(t.ofDevice("7:0")).extracting(MountTable.Mount::target)
        .containsExactly("/tmp/stcap/mnt", "/tmp/stcap/mnt with space");
    MountTable.Mount m = t.at("/tmp/stcap/mnt/").get(0);
    assertThat(m.fsType()).isEqualTo("xfs");
    assertThat(m.hasOption("nouuid")).isTrue();
    assertThat(m.hasOption("noatime")).isTrue();
    assertThat(m.hasOption("atime")).isFalse();
    assertThat(t.at("/tmp/stcap/mnt with space").get(0).hasOption("noatime")).isFalse();
    assertThat(t.ofDevice("7:9")).isEmpty();
  }

  @Test
  void findmntTargetOnRootFilesystem() throws IOException {
    MountTable t = MountTable.parse(fixture("findmnt/target-rootfs.json"));
    assertThat(t.mounts()).singleElement().satisfies(m -> {
      assertThat(m.target()).isEqualTo("/");
      assertThat(m.majMin()).isEqualTo("254:0");
    });
    assertThat(MountTable.parse(fixture("findmnt/target-space.json")).mounts().get(0).target())
        .isEqualTo("/tmp/stcap/mnt with space");
  }

  @Test
  void findmntNoMatchPrintsNothing() {
    // Real: findmnt --json --mountpoint /nonexistent prints nothing and exits 1.
    assertThat(MountTable.parse("").mounts()).isEmpty();
  }

  @Test
  void commandsAreArgvLists() {
    assertThat(MountTable.containing("/a b").argv()).containsExactly(
        "findmnt", "--json", "--list", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS,MAJ:MIN", "--target", "/a b");
    assertThat(Blkid.probe("/dev/sdb")).isEqualTo(Command.of("blkid", "-p", "-o", "export", "/dev/sdb"));
  }
}
