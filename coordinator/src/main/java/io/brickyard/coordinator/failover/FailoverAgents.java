package io.brickyard.coordinator.failover;

import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.ReleaseVipRequest;
import io.brickyard.api.agent.v1.TakeVipRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.VipOwnershipServiceGrpc;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import java.time.Duration;
import java.util.function.Function;

/** The three agent calls a failover makes. The real one is gRPC ({@link #grpc}). */
public interface FailoverAgents {
  VipOwnershipResult take(String node, HaConfig.Vip vip);

  VipOwnershipResult release(String node, String ip);

  /** Grace event 2 for an address the node no longer holds (it is alive, its session may not be). */
  void graceRelease(String node, String ip);

  /**
   * Over the agents' VipOwnershipService and NfsService. A take waits for the duplicate address probe
   * and one gratuitous ARP (about 1.5 s), so the deadline is longer than a read's.
   */
  static FailoverAgents grpc(AgentClients clients, Function<String, NodeAddress> address, Duration deadline) {
    return new FailoverAgents() {
      @Override
      public VipOwnershipResult take(String node, HaConfig.Vip vip) {
        return VipOwnershipServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .takeVip(TakeVipRequest.newBuilder().setAddress(vip.cidr()).setInterface(vip.iface()).setGrace(true).build());
      }

      @Override
      public VipOwnershipResult release(String node, String ip) {
        return VipOwnershipServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .releaseVip(ReleaseVipRequest.newBuilder().setAddress(ip).setGrace(true).build());
      }

      @Override
      public void graceRelease(String node, String ip) {
        NfsServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .grace(GraceRequest.newBuilder().setEvent(GraceEvent.GRACE_EVENT_RELEASE_ADDRESS).setAddress(ip).build());
      }
    };
  }
}
