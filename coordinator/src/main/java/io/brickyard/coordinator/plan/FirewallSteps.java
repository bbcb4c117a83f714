package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.FirewallSpec;
import java.util.List;

/** Steps of the firewall capability: the spec's rich rules, permanent and runtime. */
final class FirewallSteps {
  private FirewallSteps() {}

  /** The rules; they need firewalld running ({@code firewalld}, the service step). */
  static Step allow(NodeAddress t, FirewallSpec fw, StepKey firewalld) {
    EnsureAllowedRequest.Builder rq = EnsureAllowedRequest.newBuilder().setZone(fw.zone().orElse(""))
        .addAllServices(fw.services());
    fw.trustedSources().forEach(c -> rq.addSourceCidrs(c.toString()));
    EnsureAllowedRequest req = rq.build();
    return new Step(new StepKey.Firewall(t.name()), "firewall.allow",
        "allow " + String.join(",", fw.services()) + " from " + String.join(",", req.getSourceCidrsList())
            + " (rich rules, permanent + runtime)", t,
        (c, a, o, d) -> c.firewall(a, d).ensureAllowed(req.toBuilder().setOptions(o).build()), false, List.of(firewalld));
  }
}
