package io.brickyard.coordinator.server;

import io.brickyard.coordinator.apply.Applier;
import io.brickyard.coordinator.apply.ApplyWorkflow;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.plan.Planner;
import io.brickyard.coordinator.status.StatusCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/** The coordinator's API wired as CoordinatorMain wires it, over the given agents' clients. */
final class Coordinators {
  private Coordinators() {}

  static CoordinatorServiceImpl service(AgentClients clients, ExecutorService pool, Journal journal, Path state)
      throws IOException {
    Duration d = Duration.ofSeconds(5);
    NodeRegistry registry = new NodeRegistry(state.resolve("nodes.conf"));
    Planner planner = new Planner(clients, pool, d, d);
    return new CoordinatorServiceImpl(registry, new NodeProbe(clients, pool, d), planner,
        new ApplyWorkflow(planner, new Applier(clients, pool), journal, registry), journal,
        new StatusCollector(clients, pool, d));
  }
}
