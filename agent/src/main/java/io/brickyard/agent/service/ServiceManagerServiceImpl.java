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
import java.util.Set;

/** EnsureService / GetService over the node's backend (systemd, or lab). */
public final class ServiceManagerServiceImpl extends ServiceManagerServiceGrpc.ServiceManagerServiceImplBase {
  /** Only the units Brickyard manages: an agent RPC is never a way to start arbitrary programs. */
  static final Set<String> MANAGED = Set.of("glusterd", "nfs-ganesha", "firewalld", "rpcbind", "dbus");
  private final AgentContext ctx;

  public ServiceManagerServiceImpl(AgentContext ctx) {
    this.ctx = ctx;
  }

  static String checkUnit(String unit) {
    if (!MANAGED.contains(unit)) {
      throw new IllegalArgumentException("unit '" + unit + "' is not managed by brickyard; allowed: "
          + String.join(", ", new java.util.TreeSet<>(MANAGED)));
    }
    return unit;
  }

  @Override
  public void ensureService(EnsureServiceRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> {
      String unit = checkUnit(req.getUnit());
      Operation op = new Operation(ctx.runner(), req.getOptions());
      ctx.services().ensure(op, unit, req.getRunning(), req.getEnabled(), req.getRestart());
      String want = (req.getRunning() ? "running" : "stopped") + ", " + (req.getEnabled() ? "enabled" : "disabled");
      return op.changed() ? op.done(unit + " now " + want) : op.unchanged(unit + " already " + want);
    });
  }

  @Override
  public void getService(GetServiceRequest req, StreamObserver<ServiceState> out) {
    Rpcs.unary(out, () -> ctx.services().status(checkUnit(req.getUnit())));
  }
}
