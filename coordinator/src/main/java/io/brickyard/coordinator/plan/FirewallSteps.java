package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.AllowedGroup;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import java.util.LinkedHashSet;
import java.util.Set;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.FirewallSpec;
import java.util.List;

/** Steps of the firewall capability: the spec's rich rules, permanent and runtime. */
final class FirewallSteps {
  private FirewallSteps() {}

  /** NFSv3's ports as ganesha pins them (docs/nfs.md): NLM, rquota, and rpc.statd's. */
  static final List<String> NFSV3_PORTS = List.of("32803/tcp", "32803/udp", "875/tcp", "875/udp", "662/tcp", "662/udp");

  /**
   * The rules; they need firewalld running ({@code firewalld}, the service step). {@code more}: further
   * source groups (an NFS node's export clients), kept open beside the spec's trusted sources.
   */
  static Step allow(NodeAddress t, FirewallSpec fw, List<AllowedGroup> more, StepKey firewalld) {
    EnsureAllowedRequest.Builder rq = EnsureAllowedRequest.newBuilder().setZone(fw.zone().orElse(""))
        .addAllServices(fw.services()).addAllGroups(more);
    fw.trustedSources().forEach(c -> rq.addSourceCidrs(c.toString()));
    EnsureAllowedRequest req = rq.build();
    StringBuilder what = new StringBuilder("allow " + String.join(",", fw.services()) + " from "
        + String.join(",", req.getSourceCidrsList()));
    more.forEach(g -> what.append("; ").append(String.join(",", g.getServicesList()))
        .append(g.getPortsCount() == 0 ? "" : (g.getServicesCount() == 0 ? "" : ",") + String.join(",", g.getPortsList()))
        .append(" from ").append(String.join(",", g.getSourceCidrsList())));
    return new Step(new StepKey.Firewall(t.name()), "firewall.allow", what + " (rich rules, permanent + runtime)", t,
        (c, a, o, d) -> c.firewall(a, d).ensureAllowed(req.toBuilder().setOptions(o).build()), false, List.of(firewalld));
  }

  /**
   * What an NFS node opens to its exports' clients, and to them only: NFSv4 (2049/tcp, firewalld's
   * "nfs") to every export's client networks, and for the exports served over NFSv3 also rpcbind,
   * mountd and the pinned NLM, rquota and statd ports.
   */
  static List<AllowedGroup> nfsGroups(NfsSpec nfs) {
    Set<String> all = new LinkedHashSet<>();
    Set<String> v3 = new LinkedHashSet<>();
    for (ExportSpec e : nfs.exports()) {
      for (ExportSpec.Client c : e.clients()) {
        c.cidrs().stream().map(Cidr::toString).forEach(all::add);
        if (e.protocols().contains(3)) {
          c.cidrs().stream().map(Cidr::toString).forEach(v3::add);
        }
      }
    }
    List<AllowedGroup> out = new java.util.ArrayList<>();
    if (!all.isEmpty()) {
      out.add(AllowedGroup.newBuilder().addAllSourceCidrs(all).addServices("nfs").build());
    }
    if (!v3.isEmpty()) {
      out.add(AllowedGroup.newBuilder().addAllSourceCidrs(v3).addAllServices(List.of("rpc-bind", "mountd"))
          .addAllPorts(NFSV3_PORTS).build());
    }
    return out;
  }
}
