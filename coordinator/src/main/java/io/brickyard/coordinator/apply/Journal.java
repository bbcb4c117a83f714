package io.brickyard.coordinator.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.brickyard.common.fs.DurableFiles;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.JournalRecord;
import io.brickyard.api.coordinator.v1.StepEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every apply, journaled under the coordinator's state directory as one JSON file: a
 * {@link JournalRecord} (the summary entry plus every step event, with the commands run and their
 * output tails) printed by protobuf's JsonFormat, so that users and scripts can read it with any
 * JSON tool. History, not state: the next plan still reads the nodes.
 *
 * <p>Bounded: the newest {@link #KEEP} entries stay, and of the applies that found nothing to do
 * (named {@code ID.noop.json}) only the newest {@link #KEEP_NOOP}. An apply run from a timer to
 * correct drift is a no-op nearly every time; without the second limit a day of those would push
 * every apply that changed something out of the history.
 */
public final class Journal {
  /** {@link JournalEntry#getKind()} of an apply (older files have none: also an apply). */
  public static final String KIND_APPLY = "apply";
  /** {@link JournalEntry#getKind()} of a {@code vip move}. */
  public static final String KIND_VIP_MOVE = "vip-move";
  /** {@code brickyard brick replace} (docs/day2.md). */
  public static final String KIND_BRICK_REPLACE = "brick-replace";
  public static final String KIND_BRICK_REMOVE = "brick-remove";
  public static final String KIND_NODE_RETIRE = "node-retire";
  public static final String KIND_VOLUME_DELETE = "volume-delete";
  /** An automatic failover by the coordinator leader (docs/ha.md). */
  public static final String KIND_FAILOVER = "failover";
  /** A snapshot change ({@code brickyard snapshot create|activate|...}, or a schedule's run), docs/snapshots.md. */
  public static final String KIND_SNAPSHOT = "snapshot";
  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  static final int KEEP = 1000;
  static final int KEEP_NOOP = 50;
  private static final String NOOP = ".noop.json";
  private final Path dir;
  private final int keep;
  private final int keepNoop;

  public Journal(Path stateDir) {
    this(stateDir, KEEP, KEEP_NOOP);
  }

  /**
   * Removes the temp files a crash mid-write left in the journal directory (they never held a
   * finished entry; without this they stayed forever, as no listing or pruning looks at them).
   *
   * @throws UncheckedIOException naming the directory when it cannot be cleaned (the coordinator
   *     then refuses to start, which beats failing at the end of the first apply)
   */
  Journal(Path stateDir, int keep, int keepNoop) {
    this.dir = stateDir.resolve("journal");
    this.keep = keep;
    this.keepNoop = keepNoop;
    try {
      // "ID.json.tmp" is the temp name of versions before DurableFiles
      DurableFiles.removeTemps(dir, "{*.json.tmp," + DurableFiles.tempsOf("*.json") + "}");
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * Writes one entry durably (temp, fsync, rename, fsync the directory: see {@link DurableFiles}).
   *
   * @throws IOException naming the file and the reason (a full disk, a path that is not a directory)
   */
  public void write(JournalEntry entry, List<StepEvent> events) throws IOException {
    write(JournalRecord.newBuilder().setEntry(entry).addAllEvents(events).build());
  }

  /** Writes one record (an apply's, a VIP move's), as {@link #write(JournalEntry, List)}. */
  public void write(JournalRecord record) throws IOException {
    JournalEntry entry = record.getEntry();
    String json = JsonFormat.printer().print(record) + "\n";
    boolean noop = entry.getSuccess() && entry.getChanged() == 0 && entry.getFailed() == 0
        && record.getEventsCount() == 0 && !record.hasVipMove() && !record.hasFailover();
    DurableFiles.replace(dir.resolve(entry.getId() + (noop ? NOOP : ".json")), json.getBytes(StandardCharsets.UTF_8));
    prune();
  }

  /** Drops the oldest entries beyond the two limits (see the class comment). */
  private void prune() throws IOException {
    List<Path> files = newestFirst();
    int noops = 0;
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      boolean noop = f.getFileName().toString().endsWith(NOOP);
      if (i >= keep || noop && ++noops > keepNoop) {
        Files.deleteIfExists(f);
      }
    }
  }

  private List<Path> newestFirst() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      // ids are UTC timestamps (yyyyMMdd'T'HHmmss.SSS'Z'): their order is the files' order
      return s.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.comparing(
          (Path p) -> p.getFileName().toString().substring(0, p.getFileName().toString().indexOf('Z') + 1)).reversed()).toList();
    }
  }

  /** An entry's id: its start, in UTC, to the millisecond; ids sort as their times do. */
  public static String id(Instant started) {
    return ID.format(started);
  }

  /** Newest first; {@code limit} 0 means all. */
  public List<JournalEntry> list(int limit) throws IOException {
    List<JournalEntry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    for (Path p : newestFirst()) {
      if (limit > 0 && out.size() >= limit) {
        break;
      }
      JournalRecord.Builder b = JournalRecord.newBuilder();
      try {
        JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(p), b);
        out.add(b.getEntry());
      } catch (InvalidProtocolBufferException e) {
        // a torn or foreign file: skip it
      }
    }
    return out;
  }
}
