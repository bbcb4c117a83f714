package io.brickyard.agent.facts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.agent.vip.VipLabel;
import io.brickyard.api.agent.v1.NetworkInterface;
import io.brickyard.common.exec.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ip -json addr show}: interfaces with state, MAC and CIDR addresses. The one parser of
 * this output: facts report it as {@link NetworkInterface}s, the VIP capability decides on the
 * same {@link Link}s (which keep the per-address label that marks a VIP, see {@link VipLabel}).
 */
public final class IpAddr {
  public static final Command COMMAND = Command.of("ip", "-json", "addr", "show");

  private IpAddr() {}

  /** One interface: {@code flags} as ip prints them ("UP", "LOOPBACK", "NOARP"...). */
  public record Link(String name, String mac, String linkType, List<String> flags, List<Addr> addrs) {
    public boolean up() {
      return flags.contains("UP");
    }
  }

  /** One address. {@code label} is IPv4-only ("eth0", "eth0:by"); empty when ip prints none. */
  public record Addr(String family, String local, int prefix, String label) {
    public boolean ipv4() {
      return family.equals("inet");
    }

    public String cidr() {
      return local + "/" + prefix;
    }
  }

  public static List<Link> links(String json) {
    List<Link> out = new ArrayList<>();
    for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
      JsonObject o = e.getAsJsonObject();
      List<String> flags = new ArrayList<>();
      if (o.has("flags")) {
        o.getAsJsonArray("flags").forEach(f -> flags.add(f.getAsString()));
      }
      List<Addr> addrs = new ArrayList<>();
      if (o.has("addr_info")) {
        for (JsonElement a : o.getAsJsonArray("addr_info")) {
          JsonObject ai = a.getAsJsonObject();
          if (ai.has("local") && ai.has("prefixlen")) {
            addrs.add(new Addr(str(ai, "family"), ai.get("local").getAsString(), ai.get("prefixlen").getAsInt(),
                str(ai, "label")));
          }
        }
      }
      out.add(new Link(o.get("ifname").getAsString(), str(o, "address"), str(o, "link_type"), List.copyOf(flags),
          List.copyOf(addrs)));
    }
    return out;
  }

  /** The interfaces with the node's own addresses; VIPs held ({@link VipLabel}) are left out. */
  public static List<NetworkInterface> parse(String json) {
    return interfaces(links(json));
  }

  /** As {@link #parse}, from links already parsed. */
  public static List<NetworkInterface> interfaces(List<Link> links) {
    List<NetworkInterface> out = new ArrayList<>();
    for (Link l : links) {
      NetworkInterface.Builder b = NetworkInterface.newBuilder().setName(l.name()).setMac(l.mac()).setUp(l.up());
      l.addrs().stream().filter(a -> !VipLabel.marks(l, a)).forEach(a -> b.addAddresses(a.cidr()));
      out.add(b.build());
    }
    return out;
  }

  private static String str(JsonObject o, String key) {
    return o.has(key) ? o.get(key).getAsString() : "";
  }
}
