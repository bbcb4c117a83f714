package io.brickyard.agent.inventory;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.exec.Command;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code lsblk --json --bytes --tree -o ...} into a device tree. */
public final class Lsblk {
  public static final Command COMMAND = Command.of("lsblk", "--json", "--bytes", "--tree",
      "-o", "NAME,KNAME,PATH,MAJ:MIN,SIZE,TYPE,RO,ROTA,MODEL,SERIAL,WWN,FSTYPE,MOUNTPOINTS");

  private Lsblk() {}

  /** {@link #COMMAND} for one device: it and its children (partitions, holders). */
  public static Command of(String device) {
    List<String> argv = new ArrayList<>(COMMAND.argv());
    argv.add(device);
    return Command.of(argv);
  }

  /** One lsblk row with its children (partitions, holders such as dm/LVM devices). */
  public record Node(String name, String kname, String path, String majMin, long size, String type,
      boolean readOnly, boolean rotational, String model, String serial, String wwn, String fsType,
      List<String> mountpoints, List<Node> children) {

    /**
     * Mount points (including "[SWAP]") of this node and every descendant, in tree order, each
     * once (a thin LV appears under both its pool's data and metadata devices).
     */
    public List<String> mountpointsBelow() {
      List<String> all = new ArrayList<>(mountpoints);
      children.forEach(c -> all.addAll(c.mountpointsBelow()));
      return all.stream().distinct().toList();
    }

    /** Kernel names of this node and every descendant (partitions, dm/md holders). */
    public List<String> knamesBelow() {
      List<String> all = new ArrayList<>(List.of(kname));
      children.forEach(c -> all.addAll(c.knamesBelow()));
      return all;
    }

    /** True when this node or any descendant is mounted. */
    public boolean mountedAnywhere() {
      return !mountpoints.isEmpty() || children.stream().anyMatch(Node::mountedAnywhere);
    }
  }

  public static List<Node> parse(String json) {
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    return nodes(root.getAsJsonArray("blockdevices"));
  }

  private static List<Node> nodes(JsonArray arr) {
    List<Node> out = new ArrayList<>();
    if (arr == null) {
      return out;
    }
    for (JsonElement e : arr) {
      JsonObject o = e.getAsJsonObject();
      List<String> mps = new ArrayList<>();
      JsonElement m = o.get("mountpoints");
      if (m != null && m.isJsonArray()) {
        for (JsonElement x : m.getAsJsonArray()) {
          if (!x.isJsonNull()) {
            mps.add(x.getAsString());
          }
        }
      } else if (o.has("mountpoint") && !o.get("mountpoint").isJsonNull()) {
        mps.add(o.get("mountpoint").getAsString());
      }
      out.add(new Node(str(o, "name"), str(o, "kname"), str(o, "path"), str(o, "maj:min"),
          num(o, "size"), str(o, "type"), bool(o, "ro"), bool(o, "rota"), str(o, "model").trim(),
          str(o, "serial").trim(), str(o, "wwn"), str(o, "fstype"), mps, nodes(o.getAsJsonArray("children"))));
    }
    return out;
  }

  static String str(JsonObject o, String k) {
    JsonElement e = o.get(k);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }

  static long num(JsonObject o, String k) {
    JsonElement e = o.get(k);
    if (e == null || e.isJsonNull()) {
      return 0;
    }
    try {
      return e.getAsLong();
    } catch (NumberFormatException ex) {
      return 0;
    }
  }

  /** lsblk 2.38 prints booleans as true/false; older versions print "0"/"1". */
  static boolean bool(JsonObject o, String k) {
    JsonElement e = o.get(k);
    if (e == null || e.isJsonNull()) {
      return false;
    }
    String s = e.getAsString();
    return s.equals("true") || s.equals("1");
  }
}
