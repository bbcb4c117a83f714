package io.brickyard.agent.facts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.NetworkInterface;
import io.brickyard.common.exec.Command;
import java.util.ArrayList;
import java.util.List;

/** {@code ip -json addr show}: interfaces with state, MAC and CIDR addresses. */
public final class IpAddr {
  public static final Command COMMAND = Command.of("ip", "-json", "addr", "show");

  private IpAddr() {}

  public static List<NetworkInterface> parse(String json) {
    List<NetworkInterface> out = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      NetworkInterface.Builder b = NetworkInterface.newBuilder()
          .setName(o.get("ifname").getAsString())
          .setMac(o.has("address") ? o.get("address").getAsString() : "");
      boolean up = false;
      if (o.has("flags")) {
        for (JsonElement f : o.getAsJsonArray("flags")) {
          up |= f.getAsString().equals("UP");
        }
      }
      b.setUp(up);
      if (o.has("addr_info")) {
        for (JsonElement a : o.getAsJsonArray("addr_info")) {
          JsonObject ai = a.getAsJsonObject();
          if (ai.has("local") && ai.has("prefixlen")) {
            b.addAddresses(ai.get("local").getAsString() + "/" + ai.get("prefixlen").getAsInt());
          }
        }
      }
      out.add(b.build());
    }
    return out;
  }
}
