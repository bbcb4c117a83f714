package io.brickyard.coordinator.nfs;

import io.brickyard.api.agent.v1.ConfiguredExport;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.GetNfsStatusRequest;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The NFS service as its nodes report it now (read every time: the nodes are the truth): which
 * virtual IPs each node holds, its ganesha's health and live exports, and the export files
 * brickyard wrote there.
 */
public record NfsFacts(List<NodeNfs> nodes) {
  public NfsFacts {
    nodes = List.copyOf(nodes);
  }

  /** One node: its facts and NFS status, or why they could not be read. */
  public record NodeNfs(String node, boolean reachable, String error, NodeFacts facts, NfsStatus status) {}

  public static NfsFacts none() {
    return new NfsFacts(List.of());
  }

  /** Reads every node in parallel, each bounded by {@code deadline}. */
  public static CompletableFuture<NfsFacts> read(AgentClients clients, ExecutorService pool, List<NodeAddress> nodes,
      Duration deadline) {
    List<CompletableFuture<NodeNfs>> fs = new ArrayList<>();
    for (NodeAddress n : nodes) {
      fs.add(CompletableFuture.supplyAsync(() -> {
        try {
          NodeFacts f = clients.facts(n, deadline).getFacts(GetFactsRequest.getDefaultInstance());
          NfsStatus s = clients.nfs(n, deadline).getNfsStatus(GetNfsStatusRequest.getDefaultInstance());
          return new NodeNfs(n.name(), true, "", f, s);
        } catch (StatusRuntimeException e) {
          return new NodeNfs(n.name(), false, NodeProbe.describe(e), NodeFacts.getDefaultInstance(),
              NfsStatus.getDefaultInstance());
        }
      }, pool));
    }
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
        .thenApply(x -> new NfsFacts(fs.stream().map(CompletableFuture::join).toList()));
  }

  public Optional<NodeNfs> node(String name) {
    return nodes.stream().filter(n -> n.node().equals(name)).findFirst();
  }

  /** The reachable nodes holding {@code ip} now, in node order. */
  public List<String> holders(String ip) {
    return nodes.stream().filter(n -> n.reachable() && n.facts().getVirtualIpsList().stream()
        .anyMatch(v -> Cidr.parse(v.getAddress()).address().equals(ip))).map(NodeNfs::node).toList();
  }

  /** Every VIP held on a reachable node, as node -> its VIPs. */
  public Map<String, List<HeldVip>> held() {
    Map<String, List<HeldVip>> out = new LinkedHashMap<>();
    nodes.stream().filter(NodeNfs::reachable).forEach(n -> out.put(n.node(), n.facts().getVirtualIpsList()));
    return out;
  }

  /** Ids of exports live in ganesha or configured by brickyard on any node, with their pseudo paths. */
  public Map<Integer, String> exportIds() {
    Map<Integer, String> out = new LinkedHashMap<>();
    for (NodeNfs n : nodes) {
      for (ConfiguredExport e : n.status().getConfiguredExportsList()) {
        out.putIfAbsent(e.getExportId(), e.getPseudoPath());
      }
      for (LiveExport e : n.facts().getGanesha().getExportsList()) {
        out.putIfAbsent(e.getExportId(), e.getPseudoPath());
      }
    }
    return out;
  }
}
