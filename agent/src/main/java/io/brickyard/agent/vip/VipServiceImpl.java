package io.brickyard.agent.vip;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.VipServiceGrpc;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;

/**
 * VipService: the NFS service's virtual IPs on this node. gRPC glue only; the check-then-act logic
 * is in {@link VipOps}, the ownership mark in {@link VipLabel}, the link probe in {@link Arping}.
 * Both RPCs take the node lock: a remove and an add of the same address must not interleave.
 */
public final class VipServiceImpl extends VipServiceGrpc.VipServiceImplBase {
  private final CommandRunner runner;
  private final VipOps vips = new VipOps();

  public VipServiceImpl(AgentContext ctx) {
    this(ctx.runner());
  }

  public VipServiceImpl(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public void ensureVipPresent(EnsureVipPresentRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> vips.ensurePresent(new Operation(runner, req.getOptions()), req));
  }

  @Override
  public void ensureVipAbsent(EnsureVipAbsentRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> vips.ensureAbsent(new Operation(runner, req.getOptions()), req));
  }
}
