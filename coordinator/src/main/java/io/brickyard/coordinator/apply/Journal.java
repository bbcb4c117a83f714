package io.brickyard.coordinator.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.brickyard.api.coordinator.v1.JournalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every apply, journaled under the coordinator's state directory as one JSON file: the summary
 * entry plus every step event (with the commands run and their output tails). History, not state:
 * the next plan still reads the nodes.
 */
public final class Journal {
  private final Path dir;

  public Journal(Path stateDir) {
    this.dir = stateDir.resolve("journal");
  }

  public void write(JournalEntry entry, List<String> eventJson) throws IOException {
    Files.createDirectories(dir);
    StringBuilder sb = new StringBuilder("{\n\"entry\": ").append(JsonFormat.printer().print(entry)).append(",\n\"events\": [\n");
    sb.append(String.join(",\n", eventJson)).append("\n]\n}\n");
    Path tmp = dir.resolve(entry.getId() + ".json.tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(entry.getId() + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Newest first. */
  public List<JournalEntry> list(int limit) throws IOException {
    List<JournalEntry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : files) {
      if (limit > 0 && out.size() >= limit) {
        break;
      }
      String text = Files.readString(p);
      int start = text.indexOf("\"entry\": ") + "\"entry\": ".length();
      int end = text.indexOf(",\n\"events\"");
      JournalEntry.Builder b = JournalEntry.newBuilder();
      try {
        JsonFormat.parser().ignoringUnknownFields().merge(text.substring(start, end), b);
        out.add(b.build());
      } catch (InvalidProtocolBufferException | StringIndexOutOfBoundsException e) {
        // a torn or foreign file: skip it
      }
    }
    return out;
  }
}
