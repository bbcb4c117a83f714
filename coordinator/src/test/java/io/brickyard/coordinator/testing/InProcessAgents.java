package io.brickyard.coordinator.testing;

import io.brickyard.coordinator.nodes.AgentClients;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Agents for coordinator tests: per node name, an in-process gRPC server with the services a test
 * gives it, on their own threads (never the coordinator's pool under test, so a starved pool shows
 * as a hang instead of being masked). A node that was never added answers UNAVAILABLE, like a dead
 * agent.
 */
public final class InProcessAgents implements AutoCloseable {
  private final String prefix;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Server> servers = new ArrayList<>();

  /** @param prefix makes server names unique per test class */
  public InProcessAgents(String prefix) {
    this.prefix = prefix;
  }

  /** A node with {@code services}, plus a SERVING health service (as every agent has) unless one is given. */
  public InProcessAgents add(String node, BindableService... services) throws IOException {
    InProcessServerBuilder b = InProcessServerBuilder.forName(prefix + node).executor(executor);
    boolean health = false;
    for (BindableService s : services) {
      b.addService(s);
      health |= s.bindService().getServiceDescriptor().getName().equals(HealthGrpc.SERVICE_NAME);
    }
    if (!health) {
      HealthStatusManager h = new HealthStatusManager();
      h.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
      b.addService(h.getHealthService());
    }
    servers.add(b.build().start());
    return this;
  }

  /** Clients whose channel for a node goes to that node's in-process server. */
  public AgentClients clients() {
    return new AgentClients(a -> InProcessChannelBuilder.forName(prefix + a.name()).build());
  }

  @Override
  public void close() throws InterruptedException {
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    executor.shutdownNow();
  }
}
