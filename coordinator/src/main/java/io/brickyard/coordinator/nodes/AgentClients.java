package io.brickyard.coordinator.nodes;

import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.LvmServiceGrpc;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.api.agent.v1.VipServiceGrpc;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One long-lived mTLS channel per agent, created lazily. Callers get stubs and must set a deadline
 * on every call ({@link #facts(NodeAddress, Duration)} etc. do it for them).
 */
public final class AgentClients implements AutoCloseable {
  private final Function<NodeAddress, ManagedChannel> factory;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public AgentClients(ChannelCredentials credentials) {
    this(node -> Grpc.newChannelBuilderForAddress(node.host(), node.port(), credentials)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build());
  }

  /** Channels from {@code factory} (tests: in-process agents). */
  public AgentClients(Function<NodeAddress, ManagedChannel> factory) {
    this.factory = factory;
  }

  public ManagedChannel channel(NodeAddress node) {
    return channels.computeIfAbsent(node.address(), a -> factory.apply(node));
  }

  /**
   * Whether the channel to {@code node} exists and is connected right now (without trying to
   * connect): a node answered recently over it, so calling it is very likely to work.
   */
  public boolean connected(NodeAddress node) {
    ManagedChannel ch = channels.get(node.address());
    return ch != null && ch.getState(false) == ConnectivityState.READY;
  }

  public FactsServiceGrpc.FactsServiceBlockingStub facts(NodeAddress n, Duration deadline) {
    return stub(n, deadline, FactsServiceGrpc::newBlockingStub);
  }

  public ServiceManagerServiceGrpc.ServiceManagerServiceBlockingStub services(NodeAddress n, Duration deadline) {
    return stub(n, deadline, ServiceManagerServiceGrpc::newBlockingStub);
  }

  public FirewallServiceGrpc.FirewallServiceBlockingStub firewall(NodeAddress n, Duration deadline) {
    return stub(n, deadline, FirewallServiceGrpc::newBlockingStub);
  }

  public StorageServiceGrpc.StorageServiceBlockingStub storage(NodeAddress n, Duration deadline) {
    return stub(n, deadline, StorageServiceGrpc::newBlockingStub);
  }

  public LvmServiceGrpc.LvmServiceBlockingStub lvm(NodeAddress n, Duration deadline) {
    return stub(n, deadline, LvmServiceGrpc::newBlockingStub);
  }

  public GlusterServiceGrpc.GlusterServiceBlockingStub gluster(NodeAddress n, Duration deadline) {
    return stub(n, deadline, GlusterServiceGrpc::newBlockingStub);
  }

  public NfsServiceGrpc.NfsServiceBlockingStub nfs(NodeAddress n, Duration deadline) {
    return stub(n, deadline, NfsServiceGrpc::newBlockingStub);
  }

  public VipServiceGrpc.VipServiceBlockingStub vip(NodeAddress n, Duration deadline) {
    return stub(n, deadline, VipServiceGrpc::newBlockingStub);
  }

  /** Any stub on {@code n}'s channel, with the deadline every call must have. */
  public <S extends AbstractStub<S>> S stub(NodeAddress n, Duration deadline, Function<Channel, S> make) {
    return make.apply(channel(n)).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels.values()) {
      c.shutdown();
    }
    for (ManagedChannel c : channels.values()) {
      if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    }
  }
}
