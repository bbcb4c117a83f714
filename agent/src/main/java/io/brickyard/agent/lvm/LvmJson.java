package io.brickyard.agent.lvm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.exec.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads {@code pvs/vgs/lvs --reportformat json --units b --nosuffix -o <explicit fields>}.
 *
 * <p>Why explicit fields: the default column set changes between LVM releases, and a parser that
 * depends on it breaks silently. Why bytes: "4.98g" is rounded; decisions (same size? over-
 * provisioned?) need exact numbers. LVM 2.03 prints every value as a JSON string ("5347737600",
 * "0.00", "" for not applicable); {@code json_std} prints numbers; both are accepted.
 */
public final class LvmJson {
  static final String PV_FIELDS = "pv_name,vg_name,pv_size,pv_free,pv_uuid,pe_start,pv_mda_size";
  static final String VG_FIELDS = "vg_name,vg_size,vg_free,pv_count,lv_count,vg_uuid,vg_extent_size";
  static final String LV_FIELDS = "vg_name,lv_name,lv_attr,lv_size,pool_lv,origin,data_percent,"
      + "metadata_percent,lv_path,lv_uuid,lv_metadata_size,chunk_size,lv_profile,zero,lv_tags";
  /**
   * The LVM tag every LV Brickyard creates carries ({@code lvcreate --addtag}). Removal is allowed
   * only for LVs with it: an LV someone else made is never Brickyard's to delete, whatever its name.
   */
  public static final String OWNER_TAG = "brickyard";

  private LvmJson() {}

  public static Command pvsCommand() {
    return report("pvs", PV_FIELDS);
  }

  public static Command vgsCommand() {
    return report("vgs", VG_FIELDS);
  }

  public static Command lvsCommand() {
    return report("lvs", LV_FIELDS);
  }

  private static Command report(String tool, String fields) {
    return Command.of(tool, "--reportformat", "json", "--units", "b", "--nosuffix", "-o", fields);
  }

  public record Pv(String name, String vg, long size, long free, String uuid, long peStart, long mdaSize) {}

  public record Vg(String name, long size, long free, int pvCount, int lvCount, String uuid, long extentSize) {}

  /** One visible LV. {@code attr} is lv_attr; its characters are documented in lvs(8). */
  public record Lv(String vg, String name, String attr, long size, String pool, String origin,
      double dataPercent, double metadataPercent, String path, String uuid, long metadataSize,
      long chunkSize, String profile, boolean zero, List<String> tags) {

    public Lv {
      tags = List.copyOf(tags);
    }

    /** Created by Brickyard: carries {@link #OWNER_TAG}. */
    public boolean ownedByBrickyard() {
      return tags.contains(OWNER_TAG);
    }

    public boolean thinPool() {
      return attr.startsWith("t");
    }

    public boolean thinVolume() {
      return attr.startsWith("V");
    }

    public boolean active() {
      return attr.length() > 4 && attr.charAt(4) == 'a';
    }

    /** Device open: mounted, or held by another process or device. */
    public boolean open() {
      return attr.length() > 5 && attr.charAt(5) == 'o';
    }

    /** The 'k' flag: skipped by plain activation (thin snapshots get it by default). */
    public boolean activationSkip() {
      return attr.length() > 9 && attr.charAt(9) == 'k';
    }

    public String fullName() {
      return vg + "/" + name;
    }
  }

  public static List<Pv> parsePvs(String json) {
    return rows(json, "pv", o -> new Pv(str(o, "pv_name"), str(o, "vg_name"), num(o, "pv_size"),
        num(o, "pv_free"), str(o, "pv_uuid"), num(o, "pe_start"), num(o, "pv_mda_size")));
  }

  public static List<Vg> parseVgs(String json) {
    return rows(json, "vg", o -> new Vg(str(o, "vg_name"), num(o, "vg_size"), num(o, "vg_free"),
        (int) num(o, "pv_count"), (int) num(o, "lv_count"), str(o, "vg_uuid"), num(o, "vg_extent_size")));
  }

  public static List<Lv> parseLvs(String json) {
    return rows(json, "lv", o -> new Lv(str(o, "vg_name"), str(o, "lv_name"), str(o, "lv_attr"),
        num(o, "lv_size"), str(o, "pool_lv"), str(o, "origin"), pct(o, "data_percent"),
        pct(o, "metadata_percent"), str(o, "lv_path"), str(o, "lv_uuid"), num(o, "lv_metadata_size"),
        num(o, "chunk_size"), str(o, "lv_profile"), zero(o), tags(o)));
  }

  /** {"report":[{"lv":[...]}]}; several report objects are possible, rows are concatenated. */
  private static <T> List<T> rows(String json, String key, Function<JsonObject, T> row) {
    List<T> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    JsonArray reports = root.getAsJsonArray("report");
    if (reports == null) {
      throw new IllegalStateException("not an LVM JSON report: no \"report\" array");
    }
    for (JsonElement r : reports) {
      JsonArray arr = r.getAsJsonObject().getAsJsonArray(key);
      if (arr != null) {
        for (JsonElement e : arr) {
          out.add(row.apply(e.getAsJsonObject()));
        }
      }
    }
    return out;
  }

  static String str(JsonObject o, String k) {
    JsonElement e = o.get(k);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }

  static long num(JsonObject o, String k) {
    String s = str(o, k).strip();
    if (s.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException ex) {
      return (long) Double.parseDouble(s); // "5347737600.00" from some --units b variants
    }
  }

  /** Percentages are "" when not applicable (a plain LV); reported as -1 then. */
  static double pct(JsonObject o, String k) {
    String s = str(o, k).strip();
    return s.isEmpty() ? -1 : Double.parseDouble(s);
  }

  /** lv_tags: "" or "a,b" (LVM's list separator). */
  static List<String> tags(JsonObject o) {
    String s = str(o, "lv_tags").strip();
    return s.isEmpty() ? List.of() : List.of(s.split(","));
  }

  /** Zeroing: the "zero" field, or lv_attr's 8th character 'z' (lvs(8)), whichever LVM fills in. */
  static boolean zero(JsonObject o) {
    String attr = str(o, "lv_attr");
    return flag(o, "zero") || (attr.length() > 7 && attr.charAt(7) == 'z');
  }

  /**
   * Binary fields print their own name when set ("zero"), "1" with --binary, and "", "0" or
   * "unknown" (hidden LVs) when not.
   */
  static boolean flag(JsonObject o, String k) {
    String s = str(o, k).strip();
    return s.equals(k) || s.equals("1");
  }
}
