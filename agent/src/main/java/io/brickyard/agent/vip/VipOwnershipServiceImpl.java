package io.brickyard.agent.vip;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.ReleaseVipRequest;
import io.brickyard.api.agent.v1.TakeVipRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.VipOwnershipServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/**
 * VipOwnershipService: the coordinator leader asks this node to take or release a VIP under
 * ZooKeeper-held ownership ({@link VipOwnership}). gRPC glue only. Without {@code --zookeeper} the
 * agent has no ownership and refuses (FAILED_PRECONDITION), so a leader never mistakes a node
 * without a session for a holder. Dry runs are refused: a take is not a plan step.
 */
public final class VipOwnershipServiceImpl extends VipOwnershipServiceGrpc.VipOwnershipServiceImplBase {
  /**
   * Not the node lock: a failover's take must not wait behind another step of this node, such as an
   * EnsureRecoveryStore stuck on the recovery volume's FUSE mount while a peer's brick is silently gone
   * (seen in the lab: the take waited for the link step and missed its deadline). Takes and releases
   * are ordered among themselves here and by {@link VipOwnership}'s own lock.
   */
  static final String LOCK = "vip ownership";

  private final Optional<VipOwnership> ownership;

  public VipOwnershipServiceImpl(Optional<VipOwnership> ownership) {
    this.ownership = ownership;
  }

  @Override
  public void takeVip(TakeVipRequest req, StreamObserver<VipOwnershipResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), LOCK, () -> owner(req.getOptions().getDryRun()).take(
        EnsureVipPresentRequest.newBuilder().setAddress(req.getAddress()).setInterface(req.getInterface())
            .setDadWaitMillis(req.getDadWaitMillis()).build(), req.getGrace()));
  }

  @Override
  public void releaseVip(ReleaseVipRequest req, StreamObserver<VipOwnershipResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), LOCK, () -> owner(req.getOptions().getDryRun()).release(req.getAddress(),
        req.getGrace()));
  }

  private VipOwnership owner(boolean dryRun) {
    if (dryRun) {
      throw new IllegalArgumentException("options.dry_run: TakeVip and ReleaseVip have no dry run");
    }
    return ownership.orElseThrow(() -> new RefusedException(
        "this agent runs without --zookeeper: VIP ownership (docs/ha.md) is off on this node"));
  }
}
