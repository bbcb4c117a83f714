package io.brickyard.agent.inventory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.exec.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code wipefs --no-act --json DEVICE}: every signature libblkid finds (filesystems, LVM2_member,
 * partition tables, RAID members, swap). This is the data-safety check: udev-less hosts (the lab)
 * have no FSTYPE in lsblk, but wipefs always probes the device itself.
 */
public final class Wipefs {
  private Wipefs() {}

  public static Command probe(String device) {
    return Command.of("wipefs", "--no-act", "--json", device);
  }

  /** Signature types, in order, deduplicated ("gpt" appears twice for primary + backup header). */
  public static List<String> parse(String json) {
    List<String> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out; // wipefs prints nothing at all for a device without signatures
    }
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    if (!root.has("signatures")) {
      return out;
    }
    for (JsonElement e : root.getAsJsonArray("signatures")) {
      String t = Lsblk.str(e.getAsJsonObject(), "type");
      if (!t.isEmpty() && !out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }
}
