package io.brickyard.agent.storage;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.exec.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's mount table as {@code findmnt --json --list} prints it. MAJ:MIN is the device
 * number of the mounted filesystem: comparing it with the device node's number tells whether
 * "/dev/data/vol1" is mounted even when the table says "/dev/mapper/data-vol1", or, in a lab
 * host's private /dev, "/dev/sdb" for a loop device.
 */
public final class MountTable {
  static final String COLUMNS = "TARGET,SOURCE,FSTYPE,OPTIONS,MAJ:MIN";

  private final List<Mount> mounts;

  /** One mounted filesystem. */
  public record Mount(String target, String source, String fsType, String options, String majMin) {
    public boolean hasOption(String option) {
      return List.of(options.split(",")).contains(option);
    }
  }

  private MountTable(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  /** Every mount of this mount namespace. */
  public static Command all() {
    return Command.of("findmnt", "--json", "--list", "-o", COLUMNS);
  }

  /** The mount that holds {@code path} (which must exist; findmnt exits 1 otherwise). */
  public static Command containing(String path) {
    return Command.of("findmnt", "--json", "--list", "-o", COLUMNS, "--target", path);
  }

  /** findmnt prints nothing at all (exit 1) when nothing matches. */
  public static MountTable parse(String json) {
    List<Mount> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return new MountTable(out);
    }
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    if (root.has("filesystems")) {
      for (JsonElement e : root.getAsJsonArray("filesystems")) {
        JsonObject o = e.getAsJsonObject();
        out.add(new Mount(str(o, "target"), str(o, "source"), str(o, "fstype"), str(o, "options"),
            str(o, "maj:min")));
      }
    }
    return new MountTable(out);
  }

  public List<Mount> mounts() {
    return mounts;
  }

  /** Mounts whose target is exactly this path (several when stacked). */
  public List<Mount> at(String mountPoint) {
    String mp = FstabEntry.normalize(mountPoint);
    return mounts.stream().filter(m -> m.target().equals(mp)).toList();
  }

  /** Mounts of the block device with this major:minor. */
  public List<Mount> ofDevice(String majMin) {
    return mounts.stream().filter(m -> m.majMin().equals(majMin)).toList();
  }

  private static String str(JsonObject o, String k) {
    JsonElement e = o.get(k);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }
}
