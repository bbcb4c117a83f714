package io.brickyard.cli.lab;

import io.brickyard.common.net.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the lab lives and how it is addressed. The lab network is a /24 that exists only on this
 * machine: a bridge in the root namespace (the coordinator's side) and one veth per host.
 */
record LabLayout(Path root, Path nsDir, String subnetPrefix, int nodes) {
  static final String BRIDGE = "bylab0";
  static final int AGENT_PORT = HostPort.AGENT_PORT;
  static final int AGENT_METRICS_PORT = 9464;
  static final String COORDINATOR_LISTEN = "127.0.0.1:7444";
  static final String COORDINATOR_METRICS = "127.0.0.1:9465";
  static final List<String> DISKS = List.of("sdb", "sdc");
  /**
   * The client hosts and their last octet. Two, in the two halves of the /24, so that an NFS export
   * can admit one and not the other (examples/lab-nfs.yaml exports to 10.77.0.0/25: client at .100
   * is inside, client2 at .200 outside): refusal is as testable as access.
   */
  static final List<Map.Entry<String, Integer>> CLIENTS = List.of(Map.entry("client", 100), Map.entry("client2", 200));

  static LabLayout of(Path root, int nodes) {
    return new LabLayout(root, Path.of("/run/brickyard-lab/ns"), "10.77.0", nodes);
  }

  String bridgeCidr() {
    return subnetPrefix + ".1/24";
  }

  String subnet() {
    return subnetPrefix + ".0/24";
  }

  Path tlsDir() {
    return root.resolve("tls");
  }

  /** The lab CA's key, issued-certificate copies and CRL: never a daemon's TLS directory. */
  Path caDir() {
    return root.resolve("ca");
  }

  Path coordinatorDir() {
    return root.resolve("coordinator");
  }

  /** The coordinator's local admin socket (its directory is made 0700 by the coordinator). */
  Path adminSocket() {
    return root.resolve("admin").resolve("coordinator.sock");
  }

  Path stateFile() {
    return root.resolve("lab.properties");
  }

  Path logDir() {
    return root.resolve("logs");
  }

  List<LabHost> hosts() {
    List<LabHost> hs = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      String n = "gluster" + i;
      hs.add(new LabHost(n, subnetPrefix + "." + (10 + i), true, nsDir, root.resolve("hosts").resolve(n), DISKS));
    }
    for (var c : CLIENTS) {
      hs.add(new LabHost(c.getKey(), subnetPrefix + "." + c.getValue(), false, nsDir, root.resolve("hosts").resolve(c.getKey()),
          List.of()));
    }
    return hs;
  }

  LabHost host(String name) {
    return hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
  }
}
