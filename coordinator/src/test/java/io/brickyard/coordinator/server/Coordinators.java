package io.brickyard.coordinator.server;

import io.brickyard.coordinator.CoordinatorMain;
import io.brickyard.coordinator.Pools;

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
    return CoordinatorMain.service(registry, clients, journal, new Pools(pool, pool), d, d);
  }
}
