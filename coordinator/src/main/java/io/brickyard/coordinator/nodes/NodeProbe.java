package io.brickyard.coordinator.nodes;

import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.GetInventoryRequest;
import io.brickyard.api.coordinator.v1.NodeView;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Asks every agent for facts and inventory in parallel, each bounded by a deadline, so one dead
 * node costs at most the deadline and never hangs the answer.
 */
public final class NodeProbe {
  private final AgentClients clients;
  private final ExecutorService pool;
  private final Duration deadline;

  public NodeProbe(AgentClients clients, ExecutorService pool, Duration deadline) {
    this.clients = clients;
    this.pool = pool;
    this.deadline = deadline;
  }

  /** Facts and inventory of every node, in parallel. */
  public List<NodeView> probe(List<NodeAddress> nodes) {
    return probeAll(nodes, true);
  }

  /** Facts only (no inventory): enough to know a node is reachable and what runs there. */
  public List<NodeView> probeFacts(List<NodeAddress> nodes) {
    return probeAll(nodes, false);
  }

  /**
   * Whether one node's agent answers, asked on the pool with the standard gRPC health check (over
   * the same mTLS channel, so it also proves the agent's certificate): no command runs on the node.
   * The planner needs no facts, only to know whether to plan a node at all, and on a cluster of many
   * nodes sharing CPUs the facts' dpkg/rpm, ip and os-release reads showed up in every plan's time.
   */
  public CompletableFuture<NodeView> probeReachableAsync(NodeAddress n) {
    return CompletableFuture.supplyAsync(() -> ask(n, v -> {
      ServingStatus s = clients.stub(n, deadline, HealthGrpc::newBlockingStub)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
      v.setReachable(s == ServingStatus.SERVING);
      if (s != ServingStatus.SERVING) {
        v.setError("agent answers but is " + s);
      }
    }), pool);
  }

  private List<NodeView> probeAll(List<NodeAddress> nodes, boolean inventory) {
    List<CompletableFuture<NodeView>> fs = new ArrayList<>();
    for (NodeAddress n : nodes) {
      fs.add(CompletableFuture.supplyAsync(() -> probe(n, inventory), pool));
    }
    return fs.stream().map(CompletableFuture::join).toList();
  }

  private NodeView probe(NodeAddress n, boolean inventory) {
    return ask(n, v -> {
      v.setFacts(clients.facts(n, deadline).getFacts(GetFactsRequest.getDefaultInstance()));
      if (inventory) {
        v.addAllDevices(clients.facts(n, deadline).getInventory(GetInventoryRequest.getDefaultInstance()).getDevicesList());
      }
      v.setReachable(true);
    });
  }

  /**
   * One node's view: {@code calls} asks the agent and fills in what it learned (reachable
   * included); a gRPC failure makes the node unreachable, with the reason. Latency is measured
   * around the calls.
   */
  private static NodeView ask(NodeAddress n, Consumer<NodeView.Builder> calls) {
    long t0 = System.nanoTime();
    NodeView.Builder v = NodeView.newBuilder().setName(n.name()).setAddress(n.address());
    try {
      calls.accept(v);
    } catch (StatusRuntimeException e) {
      v.setReachable(false).setError(describe(e));
    }
    return v.setLatencyMillis((System.nanoTime() - t0) / 1_000_000).build();
  }

  /** One line an admin can act on, from a gRPC failure. */
  public static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    Throwable c = e.getCause();
    while (c != null && c.getCause() != null) {
      c = c.getCause();
    }
    String cause = c == null ? "" : c.getMessage();
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE -> "unreachable: " + (cause != null && !cause.isBlank() ? cause : d);
      case DEADLINE_EXCEEDED -> "no answer within the deadline";
      case PERMISSION_DENIED -> "permission denied: " + d;
      default -> e.getStatus().getCode() + ": " + (d == null ? cause : d);
    };
  }
}
