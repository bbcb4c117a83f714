package io.brickyard.agent;

import io.brickyard.agent.facts.FactsServiceImpl;
import io.brickyard.agent.firewall.FirewallServiceImpl;
import io.brickyard.agent.gluster.GlusterServiceImpl;
import io.brickyard.agent.gluster.SnapshotServiceImpl;
import io.brickyard.agent.lvm.LvmServiceImpl;
import io.brickyard.agent.nfs.NfsServiceImpl;
import io.brickyard.agent.service.ServiceManagerServiceImpl;
import io.brickyard.agent.storage.StorageServiceImpl;
import io.brickyard.agent.vip.VipServiceImpl;
import io.grpc.BindableService;
import java.util.List;

/** The agent's capabilities, one gRPC service each. Add a capability here and nowhere else. */
final class AgentServices {
  private AgentServices() {}

  static List<BindableService> create(AgentContext ctx) {
    return List.of(
        new FactsServiceImpl(ctx),
        new ServiceManagerServiceImpl(ctx),
        new StorageServiceImpl(ctx),
        new FirewallServiceImpl(ctx),
        new GlusterServiceImpl(ctx),
        new SnapshotServiceImpl(ctx),
        new LvmServiceImpl(ctx),
        new VipServiceImpl(ctx),
        new NfsServiceImpl(ctx));
  }
}
