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

  /** One signature as wipefs reports it; {@code offset} as printed ("0x0"), uuid/label "" when none. */
  public record Signature(String type, String offset, String uuid, String label) {
    /** "xfs at 0x0 (UUID 1b7e..., LABEL brick1)": for people; never parsed back. */
    public String describe() {
      String extra = (uuid.isEmpty() ? "" : "UUID " + uuid) + (uuid.isEmpty() || label.isEmpty() ? "" : ", ")
          + (label.isEmpty() ? "" : "LABEL " + label);
      return type + " at " + offset + (extra.isEmpty() ? "" : " (" + extra + ")");
    }
  }

  /** Every signature, in wipefs's order (a GPT's primary and backup headers are two). */
  public static List<Signature> signatures(String json) {
    List<Signature> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    if (!root.has("signatures")) {
      return out;
    }
    for (JsonElement e : root.getAsJsonArray("signatures")) {
      JsonObject o = e.getAsJsonObject();
      out.add(new Signature(Lsblk.str(o, "type"), Lsblk.str(o, "offset"), Lsblk.str(o, "uuid"),
          Lsblk.str(o, "label")));
    }
    return out;
  }

  /** Signature types, in order, deduplicated ("gpt" appears twice for primary + backup header). */
  public static List<String> parse(String json) {
    return types(signatures(json)); // wipefs prints nothing at all for a device without signatures
  }

  public static List<String> types(List<Signature> signatures) {
    return signatures.stream().map(Signature::type).filter(t -> !t.isEmpty()).distinct().toList();
  }
}
