package io.brickyard.agent.vm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code BRICKYARD-VM {json}} lines a guest printed on its serial console, by check name. */
final class VmResults {
  static final String PREFIX = "BRICKYARD-VM ";
  private final Map<String, JsonObject> checks = new LinkedHashMap<>();
  private final String console;

  VmResults(String console) {
    this.console = console;
    for (String line : console.split("\n")) {
      int i = line.indexOf(PREFIX + "{");
      if (i >= 0) {
        JsonObject o = JsonParser.parseString(line.substring(i + PREFIX.length())).getAsJsonObject();
        checks.put(o.get("check").getAsString(), o);
      }
    }
  }

  boolean has(String check) {
    return checks.containsKey(check);
  }

  /** The result of one check; a missing check fails with the console tail, which says why. */
  JsonObject get(String check) {
    JsonObject o = checks.get(check);
    if (o == null) {
      throw new AssertionError("the VM printed no result for check '" + check + "'; console tail:\n"
          + QemuVm.tail(console, 6000));
    }
    return o;
  }

  String str(String check, String field) {
    JsonElement e = get(check).get(field);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  boolean changed(String check) {
    JsonObject o = get(check);
    if (o.has("error")) {
      throw new AssertionError("check '" + check + "' failed in the VM: " + o.get("error") + " " + o.get("message"));
    }
    return o.get("changed").getAsBoolean();
  }

  List<String> strings(String check, String field) {
    List<String> out = new ArrayList<>();
    JsonElement e = get(check).get(field);
    if (e != null && e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
    }
    return out;
  }

  /** Commands as space-joined argv strings, e.g. "pvcreate /dev/vda". */
  List<String> commands(String check) {
    List<String> out = new ArrayList<>();
    JsonElement e = get(check).get("commands");
    if (e != null) {
      for (JsonElement c : e.getAsJsonArray()) {
        List<String> argv = new ArrayList<>();
        c.getAsJsonArray().forEach(x -> argv.add(x.getAsString()));
        out.add(String.join(" ", argv));
      }
    }
    return out;
  }

  List<String> names() {
    return List.copyOf(checks.keySet());
  }
}
