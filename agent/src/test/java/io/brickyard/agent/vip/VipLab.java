package io.brickyard.agent.vip;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.brickyard.agent.testlab.NsenterRunner;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway layer-2 segment for VIP tests: three network namespaces, nodes {@code a} and
 * {@code b} and a {@code client}, each with an {@code eth0} in 10.231.9.0/24 (.1, .2, .3), joined
 * by a bridge that lives in a fourth namespace, so nothing is added to the machine's own network
 * and no frame leaves the lab. Names are {@code byvip-<tag>-a|b|client|sw}; {@link #close()}
 * deletes the namespaces, and with them every veth and the bridge.
 */
final class VipLab implements AutoCloseable {
  static final String VIP = "10.231.9.100";

  /** One namespace; {@code runner} runs argv inside it. */
  record Host(String netns, String ip, String mac, NsenterRunner runner) {}

  private final ProcessRunner sys = new ProcessRunner();
  private final String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(65536));
  private final List<String> created = new ArrayList<>();
  private final List<Host> hosts = new ArrayList<>();

  VipLab start() {
    String sw = ns("sw");
    sh("ip", "netns", "add", sw);
    created.add(sw);
    sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", sw, "link", "set", "br0", "up");
    String[] names = {"a", "b", "client"};
    for (int i = 0; i < names.length; i++) {
      String ns = ns(names[i]);
      sh("ip", "netns", "add", ns);
      created.add(ns);
      String tmp = "byv" + tag + i;
      String port = "p" + i;
      sh("ip", "link", "add", tmp, "type", "veth", "peer", "name", port, "netns", sw);
      sh("ip", "link", "set", tmp, "netns", ns);
      sh("ip", "-n", ns, "link", "set", tmp, "name", "eth0");
      sh("ip", "-n", ns, "link", "set", "lo", "up");
      String ip = "10.231.9." + (i + 1);
      sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "eth0");
      sh("ip", "-n", ns, "link", "set", "eth0", "up");
      sh("ip", "-n", sw, "link", "set", port, "master", "br0");
      sh("ip", "-n", sw, "link", "set", port, "up");
      String mac = JsonParser.parseString(sh("ip", "-n", ns, "-json", "link", "show", "eth0")).getAsJsonArray()
          .get(0).getAsJsonObject().get("address").getAsString();
      hosts.add(new Host(ns, ip, mac, new NsenterRunner(sys, ns)));
    }
    return this;
  }

  Host a() {
    return hosts.get(0);
  }

  Host b() {
    return hosts.get(1);
  }

  Host client() {
    return hosts.get(2);
  }

  /** The client's neighbour entry for {@code ip}: its MAC, or "" when it has none. */
  String clientNeighbour(String ip) {
    JsonArray a = JsonParser.parseString(sh("ip", "-n", client().netns(), "-json", "neigh", "show", ip, "dev", "eth0"))
        .getAsJsonArray();
    return a.isEmpty() || !a.get(0).getAsJsonObject().has("lladdr") ? ""
        : a.get(0).getAsJsonObject().get("lladdr").getAsString();
  }

  /** Whether {@code host} has {@code ip} on any interface now, per {@code ip -o addr}. */
  boolean holds(Host host, String ip) {
    return sh("ip", "-n", host.netns(), "-o", "addr", "show").lines()
        .anyMatch(l -> l.contains(" inet " + ip + "/"));
  }

  /** One ICMP echo from the client, waiting at most a second. */
  boolean clientPings(String ip) {
    return client().runner().run(Command.of("ping", "-c", "1", "-W", "1", "-n", ip)).ok();
  }

  String sh(String... argv) {
    return sys.runChecked(Command.of(argv).withTimeout(Duration.ofSeconds(30))).stdout();
  }

  private String ns(String name) {
    return "byvip-" + tag + "-" + name;
  }

  @Override
  public void close() {
    for (int i = created.size() - 1; i >= 0; i--) {
      sys.run("ip", "netns", "del", created.get(i));
    }
  }
}
