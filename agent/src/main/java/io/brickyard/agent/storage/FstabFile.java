package io.brickyard.agent.storage;

import io.brickyard.agent.op.RefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code /etc/fstab} as an editable list of lines, where every line Brickyard did not write is
 * kept byte-for-byte (comments, blank lines, odd spacing, order, even bytes that are not UTF-8).
 *
 * <p><b>Ownership.</b> A line is Brickyard's when it ends with the trailing comment
 * {@value #MARKER}. libmount ignores everything after the sixth field, so the marker does not
 * break {@code mount -a} or {@code findmnt --fstab} (checked by the lab test), and an admin
 * reading the file sees who wrote the line. Lines are matched by mount point. Brickyard
 * replaces or removes only its own lines; an admin's line for the same mount point is accepted
 * when it says exactly what was asked and refused otherwise, never edited.
 *
 * <p>The file is held as ISO-8859-1 text, which maps each byte to one char and back, so
 * untouched lines round-trip exactly whatever their encoding. {@link FstabWriter} writes it.
 */
public final class FstabFile {
  /** The trailing comment marking a line Brickyard owns. */
  public static final String MARKER = "# managed by brickyard";

  private final List<String> lines;
  private final byte[] original;

  private FstabFile(List<String> lines, byte[] original) {
    this.lines = lines;
    this.original = original;
  }

  /** Reads the file; a missing file is an empty fstab. */
  public static FstabFile load(Path file) throws IOException {
    return parse(Files.exists(file) ? Files.readAllBytes(file) : new byte[0]);
  }

  public static FstabFile parse(byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start)); // last line without a newline
    }
    return new FstabFile(lines, content.clone());
  }

  /** The bytes as read, to detect a concurrent edit and to back up. */
  byte[] original() {
    return original.clone();
  }

  public byte[] bytes() {
    return String.join("", lines).getBytes(StandardCharsets.ISO_8859_1);
  }

  public boolean modified() {
    return !Arrays.equals(bytes(), original);
  }

  /** Every entry (comments, blank and unparseable lines skipped), in file order. */
  public List<FstabEntry> entries() {
    List<FstabEntry> out = new ArrayList<>();
    for (String l : lines) {
      FstabEntry.parse(l).ifPresent(out::add);
    }
    return out;
  }

  /** Entries for this mount point (normally at most one). */
  public List<FstabEntry> at(String mountPoint) {
    String mp = FstabEntry.normalize(mountPoint);
    return entries().stream().filter(e -> e.file().equals(mp)).toList();
  }

  /** What {@link #ensure} did to the in-memory file. */
  public enum Change { UNCHANGED, ADDED, REPLACED }

  /**
   * Makes the file hold {@code wanted} (an owned line) for its mount point, in memory.
   * Identical line present (owned or not): unchanged. Owned line that differs: replaced in place.
   * An admin's line that differs, or two lines for the mount point: refused.
   */
  public Change ensure(FstabEntry wanted) {
    List<Integer> idx = indexesOf(wanted.file());
    if (idx.size() > 1) {
      throw new RefusedException("fstab has " + idx.size() + " lines for " + wanted.file()
          + "; fix the file by hand so it has at most one");
    }
    if (idx.isEmpty()) {
      int last = lines.size() - 1;
      if (last >= 0 && !lines.get(last).endsWith("\n")) {
        lines.set(last, lines.get(last) + "\n");
      }
      lines.add(wanted.asOwnedLine());
      return Change.ADDED;
    }
    int i = idx.get(0);
    FstabEntry have = FstabEntry.parse(lines.get(i)).orElseThrow();
    if (have.sameMount(wanted)) {
      return Change.UNCHANGED;
    }
    if (!have.owned()) {
      throw new RefusedException("fstab already has a line for " + wanted.file()
          + " that brickyard does not manage and that differs from the request: '"
          + lines.get(i).strip() + "'; remove or change it by hand");
    }
    lines.set(i, wanted.asOwnedLine());
    return Change.REPLACED;
  }

  /**
   * Removes Brickyard's line for the mount point, in memory. Returns false when there is none;
   * refuses when the only line for it is the admin's.
   */
  public boolean removeOwned(String mountPoint) {
    List<Integer> idx = indexesOf(FstabEntry.normalize(mountPoint));
    boolean removed = false;
    for (int k = idx.size() - 1; k >= 0; k--) {
      int i = idx.get(k);
      if (FstabEntry.parse(lines.get(i)).orElseThrow().owned()) {
        lines.remove(i);
        removed = true;
      }
    }
    if (!removed && !idx.isEmpty()) {
      throw new RefusedException("the fstab line for " + mountPoint
          + " is not managed by brickyard; not touching it");
    }
    return removed;
  }

  /** The owned entry for the mount point, if any. */
  public Optional<FstabEntry> owned(String mountPoint) {
    return at(mountPoint).stream().filter(FstabEntry::owned).findFirst();
  }

  private List<Integer> indexesOf(String mountPoint) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Optional<FstabEntry> e = FstabEntry.parse(lines.get(i));
      if (e.isPresent() && e.get().file().equals(mountPoint)) {
        out.add(i);
      }
    }
    return out;
  }
}
