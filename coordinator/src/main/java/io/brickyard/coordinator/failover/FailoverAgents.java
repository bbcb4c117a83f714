package io.brickyard.coordinator.failover;

import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.GlusterVolumes;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.ReleaseVipRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.TakeVipRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.VipOwnershipServiceGrpc;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.vip.TakeoverLinks;
import java.time.Duration;
import java.util.function.Function;

/** The agent calls a failover makes. The real one is gRPC ({@link #grpc}). */
public interface FailoverAgents {
  /** At most this long for grace 2 on an old holder: it comes before the take and must not hold it up. */
  Duration GRACE_RELEASE_DEADLINE = Duration.ofSeconds(2);
  /**
   * At most this long for the takeover link before the take goes on without it: the link is a file
   * operation on the recovery volume's FUSE mount, which blocks while a silently lost peer's brick is
   * still awaited (gluster's network.ping-timeout).
   */
  Duration LINK_DEADLINE = Duration.ofSeconds(3);
  /**
   * At most this long for an early grace 5 ({@link EarlyGrace}): ganesha answers a grace event only once
   * the requests holding its grace state are done, and on the survivor of a link or node loss those wait
   * for its gluster client to drop the lost brick (up to 4.3 s in the lab). A shorter deadline made the
   * leader send the event again, which restarted the grace timer.
   */
  Duration EARLY_GRACE_DEADLINE = Duration.ofSeconds(8);
  /** At most this long for a brick status read: three gluster CLI calls, on the brick poll's own thread. */
  Duration VOLUME_STATUS_DEADLINE = Duration.ofSeconds(10);

  /**
   * The take: znode, then (with {@code grace}) grace event 5, then the address. Without grace when an
   * early grace 5 on the node still covers the address ({@link EarlyGrace}).
   */
  VipOwnershipResult take(String node, HaConfig.Vip vip, boolean grace);

  VipOwnershipResult release(String node, String ip);

  /** Grace event 2 for an address the node no longer holds (it is alive, its session may not be). */
  void graceRelease(String node, String ip);

  /**
   * Grace event 5 for an address the node does not hold yet ({@link EarlyGrace}): its ganesha reads the
   * address's client records and enters grace. Bounded like grace 2: it must not hold up the leader.
   */
  void graceTake(String node, String ip);

  /**
   * The takeover link on {@code node} for {@code ip} to {@code recordsNode}'s client records
   * ({@link TakeoverLinks}), before the node takes the address: grace 5 then lets those clients reclaim.
   */
  void takeoverLink(String node, String ip, String recordsNode, HaConfig.Recovery recovery);

  /** Gluster's volumes as {@code node}'s glusterd sees them, with each brick's online state ({@link BrickHealth}). */
  GlusterVolumes volumeStatus(String node);

  /**
   * Over the agents' VipOwnershipService and NfsService. A take waits for the duplicate address probe
   * and one gratuitous ARP (about 1.5 s), so the deadline is longer than a read's.
   */
  static FailoverAgents grpc(AgentClients clients, Function<String, NodeAddress> address, Duration deadline) {
    return new FailoverAgents() {
      @Override
      public VipOwnershipResult take(String node, HaConfig.Vip vip, boolean grace) {
        return VipOwnershipServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .takeVip(TakeVipRequest.newBuilder().setAddress(vip.cidr()).setInterface(vip.iface()).setGrace(grace).build());
      }

      @Override
      public VipOwnershipResult release(String node, String ip) {
        return VipOwnershipServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .releaseVip(ReleaseVipRequest.newBuilder().setAddress(ip).setGrace(true).build());
      }

      @Override
      public void graceRelease(String node, String ip) {
        grace(node, GraceEvent.GRACE_EVENT_RELEASE_ADDRESS, ip, GRACE_RELEASE_DEADLINE);
      }

      @Override
      public void graceTake(String node, String ip) {
        grace(node, GraceEvent.GRACE_EVENT_TAKE_ADDRESS, ip, EARLY_GRACE_DEADLINE);
      }

      private void grace(String node, GraceEvent event, String ip, Duration max) {
        NfsServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(Math.min(deadline.toMillis(), max.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)
            .grace(GraceRequest.newBuilder().setEvent(event).setAddress(ip).build());
      }

      @Override
      public void takeoverLink(String node, String ip, String recordsNode, HaConfig.Recovery recovery) {
        NfsServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(Math.min(deadline.toMillis(), LINK_DEADLINE.toMillis()),
                java.util.concurrent.TimeUnit.MILLISECONDS)
            .ensureRecoveryStore(TakeoverLinks.request(recovery.volume(), recovery.mountPoint(), node, ip, recordsNode,
                RequestOptions.getDefaultInstance()));
      }

      @Override
      public GlusterVolumes volumeStatus(String node) {
        return GlusterServiceGrpc.newBlockingStub(clients.channel(address.apply(node)))
            .withDeadlineAfter(VOLUME_STATUS_DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .getVolumes(GetVolumesRequest.newBuilder().setWithStatus(true).setWithoutHeal(true).build());
      }
    };
  }
}
