package io.brickyard.agent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FstabFileTest {
  private static final List<String> OPTS = List.of("rw", "noatime", "nouuid", "inode64");
  @TempDir Path tmp;

  static byte[] fixture() throws IOException {
    try (InputStream in = FstabFileTest.class.getResourceAsStream("/fixtures/fstab/debian-typical.fstab")) {
      return in.readAllBytes();
    }
  }

  static String text(FstabFile f) {
    return new String(f.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void parsesEntriesWithDefaultsEscapesAndOwnership() throws IOException {
    List<FstabEntry> e = FstabFile.parse(fixture()).entries();
    assertThat(e).extracting(FstabEntry::file).containsExactly(
        "/", "none", "/srv/admin data", "/gluster/old/brick1", "/media/cdrom0");
    assertThat(e.get(0).spec()).isEqualTo("UUID=0a1b2c3d-1111-2222-3333-444455556666");
    assertThat(e.get(0).passno()).isEqualTo(1);
    assertThat(e.get(2).options()).containsExactly("defaults");
    assertThat(e.get(2).passno()).isEqualTo(2);
    assertThat(e.get(2).owned()).as("an admin's trailing comment is not our marker").isFalse();
    assertThat(e.get(3).owned()).isTrue();
    assertThat(e.get(4).vfsType()).isEqualTo("udf,iso9660");
  }

  @Test
  void untouchedFileRoundTripsByteForByteIncludingNonUtf8() {
    byte[] raw = "# caf\u00e9 \n\t\n/dev/x /mnt/\u00ff xfs rw 0 0\r\n  # indented\n".getBytes(StandardCharsets.ISO_8859_1);
    FstabFile f = FstabFile.parse(raw);
    assertThat(f.bytes()).isEqualTo(raw);
    assertThat(f.modified()).isFalse();
  }

  @Test
  void addAppendsOneOwnedLineAndKeepsEveryOtherByte() throws IOException {
    byte[] before = fixture();
    FstabFile f = FstabFile.parse(before);
    FstabFile.Change c = f.ensure(FstabEntry.owned("/dev/data/vol1", "/gluster/vol1/brick1", "xfs", OPTS));
    assertThat(c).isEqualTo(FstabFile.Change.ADDED);
    String expected = new String(before, StandardCharsets.UTF_8) + "\n"
        + "/dev/data/vol1 /gluster/vol1/brick1 xfs rw,noatime,nouuid,inode64 0 0 # managed by brickyard\n";
    assertThat(text(f)).isEqualTo(expected);
  }

  @Test
  void ensureTwiceNeverDuplicates() throws IOException {
    FstabFile f = FstabFile.parse(fixture());
    FstabEntry want = FstabEntry.owned("/dev/data/vol1", "/gluster/vol1/brick1/", "xfs", OPTS);
    f.ensure(want);
    byte[] once = f.bytes();
    assertThat(f.ensure(want)).isEqualTo(FstabFile.Change.UNCHANGED);
    FstabFile reread = FstabFile.parse(once);
    assertThat(reread.ensure(want)).isEqualTo(FstabFile.Change.UNCHANGED);
    assertThat(reread.bytes()).isEqualTo(once);
    assertThat(reread.at("/gluster/vol1/brick1")).hasSize(1);
  }

  @Test
  void optionOrderDoesNotMatter() throws IOException {
    FstabFile f = FstabFile.parse(fixture());
    assertThat(f.ensure(FstabEntry.owned("/dev/data/old", "/gluster/old/brick1", "xfs",
        List.of("inode64", "nouuid", "noatime", "rw")))).isEqualTo(FstabFile.Change.UNCHANGED);
    assertThat(f.modified()).isFalse();
  }

  @Test
  void ownedLineWithOtherOptionsIsReplacedInPlace() throws IOException {
    byte[] before = fixture();
    FstabFile f = FstabFile.parse(before);
    assertThat(f.ensure(FstabEntry.owned("UUID=abc", "/gluster/old/brick1", "xfs", List.of("rw", "noatime"))))
        .isEqualTo(FstabFile.Change.REPLACED);
    String expected = new String(before, StandardCharsets.UTF_8).replace(
        "/dev/data/old /gluster/old/brick1 xfs rw,noatime,nouuid,inode64 0 0 # managed by brickyard",
        "UUID=abc /gluster/old/brick1 xfs rw,noatime 0 0 # managed by brickyard");
    assertThat(text(f)).isEqualTo(expected);
  }

  @Test
  void differentAdminLineForSameMountPointIsRefusedAndUntouched() throws IOException {
    FstabFile f = FstabFile.parse(fixture());
    assertThatThrownBy(() -> f.ensure(FstabEntry.owned("/dev/data/vol9", "/srv/admin data", "xfs", OPTS)))
        .isInstanceOf(RefusedException.class).hasMessageContaining("does not manage");
    assertThat(f.modified()).isFalse();
  }

  @Test
  void identicalAdminLineIsAcceptedWithoutTakingItOver() {
    byte[] raw = "/dev/sdb /data xfs rw,noatime,nouuid,inode64 0 2\n".getBytes(StandardCharsets.UTF_8);
    FstabFile f = FstabFile.parse(raw);
    assertThat(f.ensure(FstabEntry.owned("/dev/sdb", "/data", "xfs", OPTS))).isEqualTo(FstabFile.Change.UNCHANGED);
    assertThat(f.bytes()).isEqualTo(raw);
    assertThat(f.owned("/data")).isEmpty();
  }

  @Test
  void twoLinesForOneMountPointAreRefused() {
    FstabFile f = FstabFile.parse(("/dev/a /data xfs rw 0 0 # managed by brickyard\n/dev/b /data/ xfs rw 0 0\n")
        .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> f.ensure(FstabEntry.owned("/dev/a", "/data", "xfs", List.of("rw"))))
        .isInstanceOf(RefusedException.class).hasMessageContaining("2 lines");
  }

  @Test
  void removeOwnedTakesOnlyThatLine() throws IOException {
    byte[] before = fixture();
    FstabFile f = FstabFile.parse(before);
    assertThat(f.removeOwned("/gluster/old/brick1")).isTrue();
    assertThat(text(f)).isEqualTo(new String(before, StandardCharsets.UTF_8).replace(
        "/dev/data/old /gluster/old/brick1 xfs rw,noatime,nouuid,inode64 0 0 # managed by brickyard\n", ""));
    assertThat(f.removeOwned("/gluster/old/brick1")).isFalse();
    assertThatThrownBy(() -> f.removeOwned("/srv/admin data")).isInstanceOf(RefusedException.class);
    assertThat(f.removeOwned("/not/there")).isFalse();
  }

  @Test
  void mountPointWithSpaceIsEscapedAndReadBack() {
    FstabFile f = FstabFile.parse(new byte[0]);
    f.ensure(FstabEntry.owned("/dev/sdb", "/gluster/my vol#1", "xfs", OPTS));
    assertThat(text(f)).startsWith("/dev/sdb /gluster/my\\040vol\\0431 xfs ");
    FstabFile back = FstabFile.parse(f.bytes());
    assertThat(back.owned("/gluster/my vol#1")).isPresent();
  }

  @Test
  void writeKeepsBackupAndLeavesNoTempFiles() throws IOException {
    Path fstab = tmp.resolve("fstab");
    Path backup = tmp.resolve("fstab.brickyard.bak");
    byte[] before = fixture();
    Files.write(fstab, before);
    Files.setPosixFilePermissions(fstab, PosixFilePermissions.fromString("rw-r-----"));
    FstabFile f = FstabFile.load(fstab);
    f.ensure(FstabEntry.owned("/dev/data/vol1", "/gluster/vol1/brick1", "xfs", OPTS));
    FstabWriter.write(fstab, f, backup);

    assertThat(Files.readAllBytes(backup)).isEqualTo(before);
    assertThat(Files.readAllBytes(fstab)).isEqualTo(f.bytes());
    assertThat(Files.getPosixFilePermissions(fstab)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fstab", "fstab.brickyard.bak");
    }
  }

  @Test
  void tempFileLeftByAKilledWriteIsRemovedByTheNextWrite() throws IOException {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "# x\n");
    Files.writeString(tmp.resolve(".fstab.123.brickyard-tmp"), "half written");
    Files.writeString(tmp.resolve(".other.123.brickyard-tmp"), "not ours to delete");
    FstabFile f = FstabFile.load(fstab);
    f.ensure(FstabEntry.owned("/dev/a", "/a", "xfs", OPTS));
    FstabWriter.write(fstab, f, tmp.resolve("fstab.brickyard.bak"));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("fstab", "fstab.brickyard.bak", ".other.123.brickyard-tmp");
    }
  }

  @Test
  void secondChangeBacksUpTheFileAsItWasJustBefore() throws IOException {
    Path fstab = tmp.resolve("fstab");
    Path backup = tmp.resolve("fstab.brickyard.bak");
    FstabFile f = FstabFile.load(fstab); // missing file = empty
    f.ensure(FstabEntry.owned("/dev/a", "/a", "xfs", OPTS));
    FstabWriter.write(fstab, f, backup);
    assertThat(backup).doesNotExist();
    byte[] first = Files.readAllBytes(fstab);
    FstabFile g = FstabFile.load(fstab);
    g.ensure(FstabEntry.owned("/dev/b", "/b", "xfs", OPTS));
    FstabWriter.write(fstab, g, backup);
    assertThat(Files.readAllBytes(backup)).isEqualTo(first);
    assertThat(FstabFile.load(fstab).entries()).extracting(FstabEntry::file).containsExactly("/a", "/b");
  }

  @Test
  void concurrentEditOnDiskIsNotOverwritten() throws IOException {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "# v1\n");
    FstabFile f = FstabFile.load(fstab);
    f.ensure(FstabEntry.owned("/dev/a", "/a", "xfs", OPTS));
    Files.writeString(fstab, "# v1\n/dev/admin /x xfs rw 0 0\n");
    assertThatThrownBy(() -> FstabWriter.write(fstab, f, tmp.resolve("bak"))).isInstanceOf(IOException.class)
        .hasMessageContaining("changed");
    assertThat(Files.readString(fstab)).isEqualTo("# v1\n/dev/admin /x xfs rw 0 0\n");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("fstab");
    }
  }

  @Test
  void symlinkedFstabIsWrittenThroughTheLink() throws IOException {
    Path real = tmp.resolve("real-fstab");
    Files.writeString(real, "# real\n");
    Path link = Files.createSymbolicLink(tmp.resolve("fstab"), real);
    FstabFile f = FstabFile.load(link);
    f.ensure(FstabEntry.owned("/dev/a", "/a", "xfs", OPTS));
    FstabWriter.write(link, f, tmp.resolve("fstab.bak"));
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).startsWith("# real\n/dev/a /a xfs");
  }
}
