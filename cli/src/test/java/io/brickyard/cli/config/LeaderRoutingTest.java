package io.brickyard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.cli.CliRun;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.coordinator.CoordinatorMain;
import io.brickyard.coordinator.Pools;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.failover.Election;
import io.brickyard.coordinator.failover.FailoverAgents;
import io.brickyard.coordinator.failover.FailoverLeader;
import io.brickyard.coordinator.failover.HaConfig;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.server.CoordinatorServiceImpl;
import io.brickyard.coordinator.server.LeaderOnly;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI finds the leading coordinator ({@link ConnectionOptions#open}): two real coordinator APIs over
 * mutual TLS on this machine, wired as CoordinatorMain wires them (service, role check, {@link LeaderOnly},
 * {@link Election} advertising the API's address), in one election on a real ZooKeeper server. The real
 * CLI runs {@code status -o json}; the answer's {@code ha.selfId} says which coordinator served it.
 */
class LeaderRoutingTest {
  @TempDir Path dir;
  private TestingServer zk;
  private final Pools pools = new Pools(Executors.newFixedThreadPool(2), Executors.newFixedThreadPool(2));
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Path adminTls;
  private Path coordinatorTls;

  private record Coord(String id, String address, Server server, CuratorFramework zk, FailoverLeader leader) {
    void stop() throws Exception {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      leader.close();
      zk.close();
    }
  }

  private static final FailoverAgents NO_AGENTS = new FailoverAgents() {
    @Override
    public VipOwnershipResult take(String node, HaConfig.Vip vip, boolean grace) {
      throw new AssertionError("take");
    }

    @Override
    public VipOwnershipResult release(String node, String ip) {
      throw new AssertionError("release");
    }

    @Override
    public void graceRelease(String node, String ip) {
      throw new AssertionError("grace");
    }

    @Override
    public void graceTake(String node, String ip) {
      throw new AssertionError("grace");
    }

    @Override
    public void takeoverLink(String node, String ip, String recordsNode, HaConfig.Recovery recovery) {
      throw new AssertionError("link");
    }

    @Override
    public io.brickyard.api.agent.v1.GlusterVolumes volumeStatus(String node) {
      throw new AssertionError("volume status");
    }
  };

  private static final ServerInterceptor NO_METRICS = new ServerInterceptor() {
    @Override
    public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata h,
        io.grpc.ServerCallHandler<Q, R> next) {
      return next.startCall(call, h);
    }
  };

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    CertAuthority ca = CertAuthority.init(dir.resolve("ca"), "test", Duration.ofDays(1));
    coordinatorTls = dir.resolve("coordinator-tls");
    adminTls = dir.resolve("admin-tls");
    ca.issue(coordinatorTls, "coordinator", Role.COORDINATOR, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(adminTls, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (IllegalStateException alreadyClosed) {
        // stopped by the test
      }
    }
    zk.close();
    pools.close();
  }

  /** As CoordinatorMain: the API listens first, then the coordinator joins the election with that address. */
  private Coord coordinator(String id) throws Exception {
    TlsFiles tls = TlsFiles.inDir(coordinatorTls, "coordinator");
    CoordinatorServiceImpl api = CoordinatorMain.service(new NodeRegistry(null), new AgentClients(a -> {
      throw new AssertionError("no agent is called");
    }), new Journal(dir.resolve(id)), pools, Duration.ofSeconds(2), Duration.ofSeconds(2));
    AtomicReference<Election> ref = new AtomicReference<>();
    Server server = CoordinatorMain.startApi(new InetSocketAddress("127.0.0.1", 0), tls, tls.revocationList(), api,
        new HealthStatusManager(), NO_METRICS, new LeaderOnly(true, ref));
    String address = "127.0.0.1:" + server.getPort();
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(zk.getConnectString()).sessionTimeoutMs(6000)
        .connectionTimeoutMs(2000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
    c.start();
    assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    FailoverLeader leader = new FailoverLeader(c, Election.participantId(id, address), NO_AGENTS,
        new Journal(dir.resolve(id + "-failover")), new SimpleMeterRegistry());
    leader.start();
    Election e = new Election(c, leader::isLeader, id, address, 3);
    api.election(e);
    ref.set(e);
    Coord co = new Coord(id, address, server, c, leader);
    closing.add(co::stop);
    return co;
  }

  /** {@code status -o json} through the real CLI given {@code coordinators}: who answered, and its view. */
  private JsonObject status(String coordinators) {
    CliRun r = CliRun.of("status", "-o", "json", "--coordinator", coordinators, "--tls-dir", adminTls.toString(),
        "--tls-name", "admin", "--timeout", "20");
    assertThat(r.err()).as(r.out()).doesNotContain("brickyard:");
    return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("ha");
  }

  @Test
  void theCliReachesTheLeaderWhicheverCoordinatorItIsGiven() throws Exception {
    Coord a = coordinator("coord-a");
    waitFor(a.leader()::isLeader, 10_000);
    Coord b = coordinator("coord-b");
    waitFor(() -> status(b.address()).getAsJsonArray("coordinators").size() == 2, 10_000);

    JsonObject viaStandby = status(b.address());
    assertThat(viaStandby.get("selfId").getAsString()).as("given the standby only, the CLI is sent on to the leader")
        .isEqualTo("coord-a");
    assertThat(viaStandby.get("leaderAddress").getAsString()).isEqualTo(a.address());
    assertThat(status(b.address() + "," + a.address()).get("selfId").getAsString()).isEqualTo("coord-a");
    assertThat(status(a.address() + "," + b.address()).get("selfId").getAsString()).isEqualTo("coord-a");

    // the leader dies (its API and its session): the CLI given both reaches the new leader
    a.stop();
    waitFor(b.leader()::isLeader, 10_000);
    JsonObject after = status(a.address() + "," + b.address());
    assertThat(after.get("selfId").getAsString()).isEqualTo("coord-b");
    assertThat(after.get("leaderId").getAsString()).isEqualTo("coord-b");
    assertThat(after.get("selfLeads").getAsBoolean()).isTrue();
    assertThat(after.get("ensembleSize").getAsInt()).isEqualTo(3);
  }

  @Test
  void aChangeOnTheStandbyIsRefusedNamingTheLeaderWhenTheCliCannotFollow() throws Exception {
    Coord a = coordinator("coord-a");
    waitFor(a.leader()::isLeader, 10_000);
    Coord b = coordinator("coord-b");
    waitFor(() -> status(b.address()).getAsJsonArray("coordinators").size() == 2, 10_000);
    // a vip move sent straight to the standby (as a client that does not ask first would): refused
    io.grpc.ManagedChannel ch = io.grpc.Grpc.newChannelBuilderForAddress("127.0.0.1", b.server().getPort(),
        TlsFiles.inDir(adminTls, "admin").channelCredentials()).build();
    try {
      io.grpc.StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(
          () -> io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc.newBlockingStub(ch)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .moveVip(io.brickyard.api.coordinator.v1.MoveVipRequest.newBuilder().setAddress("10.0.0.100").build()),
          io.grpc.StatusRuntimeException.class);
      assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).contains("coord-a leads, at " + a.address());
    } finally {
      ch.shutdownNow();
    }
  }

  static void waitFor(BooleanSupplier c, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(50);
    }
  }
}
