package io.brickyard.common.zk;

import io.brickyard.common.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The ZooKeeper ensemble Brickyard runs: member ids and addresses, and the three ports every member
 * uses (TLS client port, quorum port, election port). One definition for the member launcher
 * ({@link ZkMemberConfig}), the agents and the coordinators (their connect string), so the three
 * can never disagree about where the ensemble is.
 *
 * <p>Written as {@code 1=10.77.0.11,2=10.77.0.12,3=10.77.0.1}: ids 1-255, IPv4 addresses (no host
 * names: a member's certificate is checked against the address it is dialled at, and a name would
 * add DNS to the failover path).
 */
public record ZkEnsemble(Map<Integer, String> members, int clientPort, int quorumPort, int electionPort) {
  public static final int DEFAULT_CLIENT_PORT = 2281;
  public static final int DEFAULT_QUORUM_PORT = 2888;
  public static final int DEFAULT_ELECTION_PORT = 3888;

  public ZkEnsemble {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("members: at least one ZooKeeper member is needed");
    }
    members = new TreeMap<>(members);
    for (int p : new int[] {clientPort, quorumPort, electionPort}) {
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("port " + p + " is not 1-65535");
      }
    }
    if (clientPort == quorumPort || clientPort == electionPort || quorumPort == electionPort) {
      throw new IllegalArgumentException("the client, quorum and election ports must differ");
    }
  }

  /** Parses {@code ID=IPV4[,ID=IPV4...]} with the default ports. */
  public static ZkEnsemble parse(String text) {
    return parse(text, DEFAULT_CLIENT_PORT, DEFAULT_QUORUM_PORT, DEFAULT_ELECTION_PORT);
  }

  public static ZkEnsemble parse(String text, int clientPort, int quorumPort, int electionPort) {
    Map<Integer, String> m = new TreeMap<>();
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("members: empty (expected ID=ADDRESS[,ID=ADDRESS...])");
    }
    for (String part : text.split(",", -1)) {
      String[] kv = part.strip().split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException("members: '" + part.strip() + "' is not ID=ADDRESS");
      }
      int id;
      try {
        id = Integer.parseInt(kv[0]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("members: id '" + kv[0] + "' is not a number 1-255");
      }
      if (id < 1 || id > 255) {
        throw new IllegalArgumentException("members: id " + id + " is not 1-255");
      }
      byte[] raw = IpAddress.parseV4(kv[1].strip());
      if (raw == null) {
        throw new IllegalArgumentException("members: '" + kv[1].strip() + "' is not an IPv4 address");
      }
      String ip = IpAddress.format(raw);
      if (m.containsValue(ip)) {
        throw new IllegalArgumentException("members: address " + ip + " is listed twice");
      }
      if (m.put(id, ip) != null) {
        throw new IllegalArgumentException("members: id " + id + " is listed twice");
      }
    }
    return new ZkEnsemble(m, clientPort, quorumPort, electionPort);
  }

  /** The client connect string: every member's TLS client port. */
  public String connectString() {
    return members.values().stream().map(ip -> ip + ":" + clientPort).collect(Collectors.joining(","));
  }

  /**
   * The connect string for a client on a host whose own addresses {@code isLocal} recognises: every
   * member except one on this host, unless that is the only member. A member on the same host keeps
   * answering the client's pings after the host's link went down, until it notices that it lost its
   * leader and has closed its quorum socket (over TLS, measured: 5.8 s after the link went down with a
   * 3 s sync limit, docs/ha.md "Timeouts"); meanwhile the ensemble may already have expired the
   * client's session. Only a member across the network makes the client notice a partition within
   * its own read timeout, which is what the address ownership's order rests on.
   */
  public String remoteConnectString(Predicate<String> isLocal) {
    List<String> remote = members.values().stream().filter(isLocal.negate()).toList();
    return (remote.isEmpty() ? members.values() : remote).stream().map(ip -> ip + ":" + clientPort)
        .collect(Collectors.joining(","));
  }

  /** How many members may fail with the ensemble still serving: a majority must remain. */
  public int faultsTolerated() {
    return (members.size() - 1) / 2;
  }

  public List<Integer> ids() {
    return new ArrayList<>(members.keySet());
  }

  @Override
  public String toString() {
    return members.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
