package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.coordinator.nodes.NodeAddress;
import java.util.List;

/** Steps of the services capability: a systemd unit running and enabled. */
final class ServiceSteps {
  private ServiceSteps() {}

  static Step ensure(NodeAddress t, String unit) {
    EnsureServiceRequest req = EnsureServiceRequest.newBuilder().setUnit(unit).setRunning(true).setEnabled(true).build();
    return new Step(new StepKey.Service(t.name(), unit), "service.ensure", unit + " running and enabled", t,
        (c, a, o, d) -> c.services(a, d).ensureService(req.toBuilder().setOptions(o).build()), false, List.of());
  }
}
