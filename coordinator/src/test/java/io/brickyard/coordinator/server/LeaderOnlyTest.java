package io.brickyard.coordinator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.coordinator.v1.ApplyRequest;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc.CoordinatorServiceBlockingStub;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.api.coordinator.v1.HistoryRequest;
import io.brickyard.api.coordinator.v1.LeaderRequest;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.failover.Election;
import io.brickyard.coordinator.failover.FailoverAgents;
import io.brickyard.coordinator.failover.FailoverLeader;
import io.brickyard.coordinator.failover.HaConfig;
import io.brickyard.coordinator.nodes.AgentClients;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
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
 * Two coordinators' APIs (in-process gRPC, wired as CoordinatorMain wires them: the service, the
 * {@link LeaderOnly} guard, the {@link Election}) in one election on a real ZooKeeper server. Both name
 * the same leader with its advertised address; the standby refuses changes naming the leader, serves reads;
 * when the leader's session ends the standby leads and accepts changes; without a ZooKeeper connection
 * no leader is named.
 */
class LeaderOnlyTest {
  @TempDir Path dir;
  private TestingServer zk;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final List<AutoCloseable> closing = new ArrayList<>();

  /** One coordinator: its ZooKeeper client, leader, API server and a channel to it. */
  private record Coord(String id, CuratorFramework zk, FailoverLeader leader, Election election, Server server,
      ManagedChannel ch) {
    CoordinatorServiceBlockingStub stub() {
      return CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
  }

  /** The leader never assigns here (no HA configuration is published): any agent call is a failure of the test. */
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

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (IllegalStateException alreadyClosedByTheTest) {
        // the leader the test closed
      }
    }
    zk.close();
    pool.shutdownNow();
  }

  private Coord coordinator(String id, String address, int ensembleSize) throws Exception {
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(zk.getConnectString()).sessionTimeoutMs(6000)
        .connectionTimeoutMs(2000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
    c.start();
    assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    closing.add(c);
    FailoverLeader leader = new FailoverLeader(c, Election.participantId(id, address), NO_AGENTS,
        new Journal(dir.resolve(id + "-failover")), new SimpleMeterRegistry());
    leader.start();
    closing.add(leader);
    Election election = new Election(c, leader::isLeader, id, address, ensembleSize);
    CoordinatorServiceImpl api = Coordinators.service(new AgentClients(a -> {
      throw new AssertionError("no agent is called");
    }), pool, new Journal(dir.resolve(id)), dir.resolve(id));
    api.election(election);
    Server s = InProcessServerBuilder.forName("leader-" + id).directExecutor()
        .addService(ServerInterceptors.intercept(api, new LeaderOnly(true, new AtomicReference<>(election)))).build().start();
    closing.add(s::shutdownNow);
    ManagedChannel ch = InProcessChannelBuilder.forName("leader-" + id).directExecutor().build();
    closing.add(ch::shutdownNow);
    return new Coord(id, c, leader, election, s, ch);
  }

  private static StatusRuntimeException applyFails(Coord c) {
    try {
      c.stub().apply(ApplyRequest.newBuilder().setSpecYaml("not: [a spec").build()).forEachRemaining(e -> { });
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the apply of a broken spec did not fail");
  }

  @Test
  void bothNameTheLeaderAndTheStandbyRefusesChangesNamingIt() throws Exception {
    Coord a = coordinator("coord-a", "10.77.0.1:7444", 3);
    waitFor(a.leader()::isLeader, 10_000); // a joins first and leads: the order of the test, not a rule
    Coord b = coordinator("coord-b", "10.77.0.2:7444", 3);
    waitFor(() -> b.stub().leader(LeaderRequest.getDefaultInstance()).getCoordinatorsCount() == 2, 10_000);

    for (Coord c : List.of(a, b)) {
      HaView v = c.stub().leader(LeaderRequest.getDefaultInstance());
      assertThat(v.getEnabled()).isTrue();
      assertThat(v.getConnected()).isTrue();
      assertThat(v.getLeaderId()).isEqualTo("coord-a");
      assertThat(v.getLeaderAddress()).isEqualTo("10.77.0.1:7444");
      assertThat(v.getSelfId()).isEqualTo(c.id());
      assertThat(v.getSelfLeads()).isEqualTo(c == a);
      assertThat(v.getCoordinatorsList()).extracting(x -> x.getId() + "@" + x.getAddress() + (x.getLeader() ? " leads" : ""))
          .containsExactly("coord-a@10.77.0.1:7444 leads", "coord-b@10.77.0.2:7444");
      assertThat(v.getEnsembleSize()).isEqualTo(3);
      assertThat(v.getToleratedFailures()).isEqualTo(1);
    }

    StatusRuntimeException refused = applyFails(b);
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).contains("coord-b does not lead", "coord-a leads, at 10.77.0.1:7444");
    assertThat(Status.trailersFromThrowable(refused).get(LeaderOnly.LEADER)).isEqualTo("10.77.0.1:7444");
    // reads are served by the standby, and its status names the leader
    b.stub().history(HistoryRequest.getDefaultInstance());
    ClusterStatus st = b.stub().status(StatusRequest.getDefaultInstance());
    assertThat(st.getHa().getLeaderId()).isEqualTo("coord-a");
    // the leader passes the guard: the broken spec is what fails
    StatusRuntimeException served = applyFails(a);
    assertThat(served.getStatus().getDescription()).doesNotContain("does not lead");

    // the leader's session ends: the standby leads and names itself, and now takes changes
    a.leader().close();
    a.zk().close();
    waitFor(b.leader()::isLeader, 10_000);
    HaView after = b.stub().leader(LeaderRequest.getDefaultInstance());
    assertThat(after.getLeaderId()).isEqualTo("coord-b");
    assertThat(after.getLeaderAddress()).isEqualTo("10.77.0.2:7444");
    assertThat(after.getCoordinatorsCount()).isEqualTo(1);
    assertThat(applyFails(b).getStatus().getDescription()).doesNotContain("does not lead");
  }

  @Test
  void withoutAConnectedSessionNoLeaderIsNamedAndAStandbyRefusesChanges() throws Exception {
    Coord a = coordinator("coord-a", "10.77.0.1:7444", 1);
    waitFor(a.leader()::isLeader, 10_000);
    Coord b = coordinator("coord-b", "10.77.0.2:7444", 1);
    HaView one = b.stub().leader(LeaderRequest.getDefaultInstance());
    assertThat(one.getEnsembleSize()).isEqualTo(1);
    assertThat(one.getToleratedFailures()).isZero();
    zk.stop();
    waitFor(() -> !b.stub().leader(LeaderRequest.getDefaultInstance()).getConnected(), 10_000);
    HaView v = b.stub().leader(LeaderRequest.getDefaultInstance());
    assertThat(v.getLeaderId()).isEmpty();
    assertThat(v.getLeaderAddress()).isEmpty();
    waitFor(() -> !b.leader().isLeader() && !a.leader().isLeader(), 10_000); // LeaderLatch drops leadership on SUSPENDED
    StatusRuntimeException refused = applyFails(b);
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getStatus().getDescription()).contains("no leader is known", "not connected");
    assertThat(Status.trailersFromThrowable(refused).get(LeaderOnly.LEADER)).isNull();
  }

  @Test
  void aParticipantIdIsTheNameAndTheAddress() {
    assertThat(Election.participantId("coordinator1", "10.77.0.1:7444")).isEqualTo("coordinator1@10.77.0.1:7444");
    assertThat(Election.participantId("c", "[fd00::1]:7444")).isEqualTo("c@[fd00::1]:7444");
    assertThatThrownBy(() -> Election.participantId("a@b", "10.0.0.1:7444")).hasMessageContaining("'@'");
    assertThatThrownBy(() -> Election.participantId("a b", "10.0.0.1:7444")).hasMessageContaining("spaces");
    HaView off = Election.off("127.0.0.1:7444").view();
    assertThat(off.getEnabled()).isFalse();
    assertThat(off.getSelfLeads()).isTrue();
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
