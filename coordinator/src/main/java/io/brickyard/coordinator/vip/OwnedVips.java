package io.brickyard.coordinator.vip;

import io.brickyard.api.agent.v1.GetNfsStatusRequest;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.ReleaseVipRequest;
import io.brickyard.api.agent.v1.TakeVipRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.VipOwnershipServiceGrpc;
import io.brickyard.common.zk.ZkAcls;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The VIP calls of {@code apply} and {@code vip move} when the spec has a {@code coordination:} section
 * (docs/ha.md, "apply and vip move under HA"): the agents' ownership RPCs instead of part 1's
 * EnsureVipPresent/EnsureVipAbsent, so that no address is ever on a link without its ephemeral znode
 * (an address without one would survive its node's loss of ZooKeeper, and the leader would hand it to
 * a second node). Without the section, part 1's calls stay: nothing here is used.
 *
 * <p>A move's release and take are two calls, and between them the VIP is free: the failover leader,
 * which assigns free VIPs, would take it for its home in that gap. So a move first creates the
 * ephemeral {@code /brickyard/moving/<ip>} in this coordinator's ZooKeeper session, which the leader
 * honours (it assigns no VIP so marked, and does not fail it back), and deletes it when done; if this
 * coordinator dies mid-move the mark goes with its session and the leader takes over.
 */
public final class OwnedVips {
  public static final String MOVING = ZkAcls.ROOT + "/moving";
  private volatile CuratorFramework zk;

  /** HA is on for a spec with a coordination section (the agents must then run with --zookeeper). */
  public static boolean on(ClusterSpec spec) {
    return spec.coordination().isPresent();
  }

  /** This coordinator's ZooKeeper session, once it has one (coordinator --zookeeper). */
  public void attach(CuratorFramework zk) {
    this.zk = zk;
  }

  /** A move's mark; {@link #note} says why there is none. */
  public static final class Mark implements AutoCloseable {
    private final CuratorFramework zk;
    private final String path;
    private final String note;

    private Mark(CuratorFramework zk, String path, String note) {
      this.zk = zk;
      this.path = path;
      this.note = note;
    }

    /** Empty when the mark exists; else why the leader was not told. */
    public String note() {
      return note;
    }

    @Override
    public void close() {
      if (zk == null) {
        return;
      }
      try {
        zk.delete().guaranteed().forPath(path);
      } catch (Exception e) {
        // guaranteed(): Curator retries in the background; the session's end removes it at the latest
      }
    }
  }

  /**
   * Marks {@code ip} as moving to {@code to}. Refused (FAILED_PRECONDITION) when another move holds the
   * mark. Without a session (this coordinator runs without --zookeeper) there is no mark: the note says
   * that the leader may then take the VIP for its home between the release and the take.
   */
  public Mark mark(String ip, String to) {
    CuratorFramework c = zk;
    String path = MOVING + "/" + ip;
    if (c == null) {
      return new Mark(null, path, "this coordinator has no ZooKeeper session (--zookeeper): the failover leader is"
          + " not told of the move and may take " + ip + " for its home while it is free");
    }
    try {
      c.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
          .forPath(path, to.getBytes(StandardCharsets.UTF_8));
      return new Mark(c, path, "");
    } catch (KeeperException.NodeExistsException e) {
      throw Status.FAILED_PRECONDITION.withDescription(ip + " is being moved by another coordinator ("
          + MOVING + "/" + ip + " exists): try again when that move ends").asRuntimeException();
    } catch (Exception e) {
      throw Status.UNAVAILABLE.withDescription("cannot mark the move of " + ip + " in ZooKeeper: " + e.getMessage())
          .asRuntimeException();
    }
  }

  /** TakeVip with grace 5: znode, grace 5, address, gratuitous ARP (the agent refuses a VIP held elsewhere). */
  public static VipOwnershipResult take(AgentClients c, NodeAddress node, Duration deadline, VipSpec v) {
    return c.stub(node, deadline, VipOwnershipServiceGrpc::newBlockingStub).takeVip(TakeVipRequest.newBuilder()
        .setAddress(v.address().toString()).setInterface(v.networkInterface().orElse("")).setGrace(true).build());
  }

  /** ReleaseVip with grace 2: address removed, grace 2, znode deleted. */
  public static VipOwnershipResult release(AgentClients c, NodeAddress node, Duration deadline, String ip) {
    return c.stub(node, deadline, VipOwnershipServiceGrpc::newBlockingStub).releaseVip(ReleaseVipRequest.newBuilder()
        .setAddress(ip).setGrace(true).build());
  }

  /** "took it (znode at ..., grace 5, address + ARP)". */
  public static String describeTake(VipOwnershipResult r) {
    if (r.getClaimedAtMs() == 0 && !r.getResult().getChanged()) {
      return "already held by this node's ZooKeeper session";
    }
    return "took it under its ZooKeeper znode (session " + r.getSession() + ")"
        + (r.getGraceAtMs() != 0 ? ", grace 5 sent" : ", no grace 5 (ganesha did not take it)")
        + (r.getResult().getChanged() ? ", address added and announced" : ", the address was already on the link");
  }

  /**
   * Waits until {@code node}'s ganesha answers on D-Bus (its agent's ganesha watch releases every VIP
   * while it does not, so a take before would be undone within a second). Gives up after {@code max}.
   */
  public static void awaitGanesha(AgentClients c, NodeAddress node, Duration deadline, Duration max) {
    long end = System.nanoTime() + max.toNanos();
    String detail = "";
    while (System.nanoTime() < end) {
      NfsStatus s = c.nfs(node, deadline).getNfsStatus(GetNfsStatusRequest.getDefaultInstance());
      if (s.getHealth().getUp()) {
        return;
      }
      detail = s.getHealth().getDetail();
      try {
        Thread.sleep(250);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted waiting for ganesha").asRuntimeException();
      }
    }
    throw Status.FAILED_PRECONDITION.withDescription("ganesha on " + node.name() + " is not up after " + max.toSeconds()
        + " s (" + detail + "): under HA a node whose ganesha is down holds no VIP").asRuntimeException();
  }
}
