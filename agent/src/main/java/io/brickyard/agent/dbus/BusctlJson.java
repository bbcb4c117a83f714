package io.brickyard.agent.dbus;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code busctl --json=short} replies. busctl prints one object {"type": SIGNATURE,
 * "data": VALUE}: for {@code call} VALUE is the array of out-arguments, for
 * {@code get-property} it is the property value itself. The D-Bus signature is checked, so a
 * changed daemon API (firewalld's, ganesha's) fails loudly instead of being misread.
 */
public final class BusctlJson {
  private BusctlJson() {}

  /** Signature "s": a method's single string result, or a string property. */
  public static String string(String json) {
    JsonElement data = data(json, "s");
    return data.isJsonArray() ? single(data).getAsString() : data.getAsString();
  }

  /** Signature "o": an object path (config.getZoneByName). */
  public static String objectPath(String json) {
    return single(data(json, "o")).getAsString();
  }

  /** Signature "as": a list of strings (zone names, service names, rich rules). */
  public static List<String> strings(String json) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : single(data(json, "as")).getAsJsonArray()) {
      out.add(e.getAsString());
    }
    return out;
  }

  /** Signature "aas": firewalld's port list [["2049","tcp"], ...], as "2049/tcp". */
  public static List<String> ports(String json) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : single(data(json, "aas")).getAsJsonArray()) {
      JsonArray pp = e.getAsJsonArray();
      if (pp.size() != 2) {
        throw new IllegalStateException("busctl: a firewalld port is not [port, protocol]: " + pp);
      }
      out.add(pp.get(0).getAsString() + "/" + pp.get(1).getAsString());
    }
    return out;
  }

  /**
   * A method's out-arguments (signature of several, e.g. ganesha's "bbs"), as busctl printed them:
   * the caller reads each by position, knowing the signature it asked for.
   */
  public static JsonArray outArgs(String json, String signature) {
    JsonElement data = data(json, signature);
    if (!data.isJsonArray()) {
      throw new IllegalStateException("busctl: expected the out-arguments of a call, got " + abbreviate(json));
    }
    return data.getAsJsonArray();
  }

  private static JsonElement data(String json, String signature) {
    JsonElement root = JsonParser.parseString(json.strip());
    if (!root.isJsonObject()) {
      throw new IllegalStateException("busctl: reply is not a JSON object: " + abbreviate(json));
    }
    JsonObject o = root.getAsJsonObject();
    if (!o.has("type") || !signature.equals(o.get("type").getAsString()) || !o.has("data")) {
      throw new IllegalStateException("busctl: expected a reply of D-Bus type '" + signature + "', got "
          + abbreviate(json));
    }
    return o.get("data");
  }

  private static JsonElement single(JsonElement data) {
    if (!data.isJsonArray() || data.getAsJsonArray().size() != 1) {
      throw new IllegalStateException("busctl: expected exactly one out-argument, got " + abbreviate(data.toString()));
    }
    return data.getAsJsonArray().get(0);
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }
}
