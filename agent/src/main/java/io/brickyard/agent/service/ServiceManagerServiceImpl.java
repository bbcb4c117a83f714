package io.brickyard.agent.service;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.GetServiceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.ServiceState;
import io.grpc.stub.StreamObserver;

/** EnsureService / GetService over the node's backend (systemd, or lab). */
public final class ServiceManagerServiceImpl extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
  private final AgentContext ctx;

  public ServiceManagerServiceImpl(AgentContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> ensureService(req));
  }

  /** Check-then-act on one managed unit; what may never be asked is refused before any command. */
  public OperationResult ensureService(EnsureServiceRequest req) {
    String unit = ManagedUnits.name(req.getUnit());
    ManagedUnits.checkWanted(unit, req.getRunning(), req.getEnabled(), req.getRestart());
    Operation op = new Operation(ctx.runner(), req.getOptions());
    ctx.services().ensure(op, unit, req.getRunning(), req.getEnabled(), req.getRestart());
    String want = (req.getRunning() ? "running" : "stopped") + ", " + (req.getEnabled() ? "enabled" : "disabled");
    return op.changed() ? op.done(unit + " now " + want) : op.unchanged(unit + " already " + want);
  }

  @Override
  public void getService(GetServiceRequest req, StreamObserver<ServiceState> out) {
    Rpcs.unary(out, () -> ctx.services().status(ManagedUnits.name(req.getUnit())));
  }
}
