package io.brickyard.coordinator.server;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.coordinator.failover.Election;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Only the leading coordinator changes the cluster (docs/ha.md, "Which coordinator the CLI talks to").
 * Every coordinator has its own cluster lock and journal, so two coordinators applying at once would
 * not exclude each other; and the leader is the one that assigns addresses. A coordinator in the
 * election that does not lead refuses these calls with FAILED_PRECONDITION naming the leader, its
 * address also in the trailer {@link #LEADER}; reads (nodes, validate, plan, status, history, heal, leader)
 * are served by any. The CLI normally never sees the refusal (it asks who leads first): it covers a
 * leadership change between that question and the call, and clients that did not ask.
 */
public final class LeaderOnly implements ServerInterceptor {
  public static final Metadata.Key<String> LEADER = Metadata.Key.of("brickyard-leader", Metadata.ASCII_STRING_MARSHALLER);
  static final Set<String> CHANGES = Set.of(
      CoordinatorServiceGrpc.getApplyMethod().getFullMethodName(),
      CoordinatorServiceGrpc.getMoveVipMethod().getFullMethodName(),
      CoordinatorServiceGrpc.getSnapshotMethod().getFullMethodName(),
      CoordinatorServiceGrpc.getReplaceBrickMethod().getFullMethodName(),
      CoordinatorServiceGrpc.getRemoveBricksMethod().getFullMethodName(),
      CoordinatorServiceGrpc.getRetireNodeMethod().getFullMethodName(),
      CoordinatorServiceGrpc.getDeleteVolumeMethod().getFullMethodName());

  private final boolean inElection;
  private final AtomicReference<Election> election;

  /**
   * @param inElection this coordinator was started with {@code --zookeeper}: until {@code election} is
   *     set (it joins after its API is up), it refuses changes too
   */
  public LeaderOnly(boolean inElection, AtomicReference<Election> election) {
    this.inElection = inElection;
    this.election = election;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!inElection || !CHANGES.contains(call.getMethodDescriptor().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    Election e = election.get();
    if (e != null && e.leads()) {
      return next.startCall(call, headers);
    }
    Metadata trailers = new Metadata();
    String why;
    if (e == null) {
      why = "this coordinator has not joined the leader election yet (it is starting): try again";
    } else {
      HaView v = e.view();
      if (!v.getLeaderAddress().isEmpty() && !v.getLeaderId().equals(v.getSelfId())) {
        trailers.put(LEADER, v.getLeaderAddress());
        why = v.getSelfId() + " does not lead the coordinators: " + v.getLeaderId() + " leads, at " + v.getLeaderAddress()
            + " (the CLI goes there when it can reach that address with an admin certificate)";
      } else {
        why = v.getSelfId() + " does not lead the coordinators and no leader is known"
            + (v.getConnected() ? " yet: try again" : " (its ZooKeeper session is not connected)")
            + "; only the leader changes the cluster";
      }
    }
    call.close(Status.FAILED_PRECONDITION.withDescription(why), trailers);
    return new ServerCall.Listener<>() {};
  }
}
