package io.brickyard.agent;

import io.brickyard.agent.debug.InsecureDebugMode;
import io.brickyard.agent.debug.LoopbackPeersOnly;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.brickyard.common.tls.RevocationList;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.RoleAuthorizer;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's gRPC server: capability services behind mTLS and a role check (only coordinator and
 * admin certificates may call them, and none the cluster CA has revoked), plus grpc.health.v1 and
 * server reflection.
 */
public final class AgentServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
  private final Server server;
  private final HealthStatusManager health;

  private AgentServer(Server server, HealthStatusManager health) {
    this.server = server;
    this.health = health;
  }

  /**
   * Starts the server. {@code tls == null} is the explicitly named insecure debug mode (see
   * {@link InsecureDebugMode}): the caller must have asked for it by name, and only a loopback
   * {@code listen} address is accepted.
   */
  public static AgentServer start(InetSocketAddress listen, TlsFiles tls, AgentContext ctx,
      MetricsEndpoint metrics) throws IOException {
    return start(listen, tls, ctx, metrics, List.of());
  }

  /** As above, with services that need more than the context (VIP ownership, docs/ha.md). */
  public static AgentServer start(InetSocketAddress listen, TlsFiles tls, AgentContext ctx,
      MetricsEndpoint metrics, List<BindableService> extra) throws IOException {
    ServerCredentials creds;
    ServerInterceptor authz;
    if (tls == null) {
      InsecureDebugMode.requireLoopback(listen);
      creds = InsecureServerCredentials.create();
      authz = new LoopbackPeersOnly();
    } else {
      tls.strayCaKey().ifPresent(k -> log.warn("{} lies beside this node's key: whoever can read this host's TLS "
          + "directory can mint admin certificates; keep it only in the CA directory (docs/security.md)", k));
      RevocationList revoked = tls.revocationList();
      creds = tls.serverCredentials(revoked);
      authz = new RoleAuthorizer(revoked, Role.COORDINATOR, Role.ADMIN);
    }
    NettyServerBuilder b = NettyServerBuilder.forAddress(listen, creds);
    HealthStatusManager health = new HealthStatusManager();
    List<BindableService> services = new java.util.ArrayList<>(AgentServices.create(ctx));
    services.addAll(extra);
    for (BindableService s : services) {
      b.addService(ServerInterceptors.intercept(s, authz, metrics.rpcInterceptor()));
    }
    b.addService(health.getHealthService());
    b.addService(ProtoReflectionServiceV1.newInstance());
    b.maxInboundMessageSize(16 * 1024 * 1024);
    Server server = b.build().start();
    for (BindableService s : services) {
      health.setStatus(s.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    log.info("agent listening on {} ({})", listen, tls == null ? "INSECURE plaintext debug mode" : "mTLS");
    return new AgentServer(server, health);
  }

  public int port() {
    return server.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
