package io.brickyard.coordinator.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.GetNfsStatusRequest;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.GraceResult;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.VipServiceGrpc;
import io.brickyard.api.coordinator.v1.VipMove;
import io.brickyard.api.coordinator.v1.VipMoveStep;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.plan.NfsStepsFixture;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.brickyard.coordinator.spec.CoordinationSpec;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.brickyard.api.agent.v1.ReleaseVipRequest;
import io.brickyard.api.agent.v1.TakeVipRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.VipOwnershipServiceGrpc;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The move's order over in-process agents that hold addresses in one shared table, as a link does:
 * the release is confirmed before the add (never two holders), grace 2 on the old holder, the
 * takeover link to the old holder's records, then add and grace 5 on the new one.
 */
class VipMoverTest {
  private static final String VIP = "10.77.0.201";
  private final InProcessAgents agents = new InProcessAgents("vipmove-");
  /** address -> nodes holding it: the link. */
  private final Map<String, Set<String>> link = new ConcurrentHashMap<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<String> twoHolders = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() throws InterruptedException {
    agents.close();
  }

  private void node(String name, boolean refuseRelease) throws Exception {
    agents.add(name, new Facts(name), new Nfs(name), new Vip(name, refuseRelease), new Ownership(name));
  }

  /** The lab's NFS spec with a coordination section: HA on. */
  private static ClusterSpec haSpec() throws Exception {
    ClusterSpec s = NfsStepsFixture.spec();
    return new ClusterSpec(s.name(), s.nodes(), s.firewall(), s.storage(), s.volumes(), s.nfs(), Optional.of(
        new CoordinationSpec(List.of(new CoordinationSpec.Member(1, "10.77.0.11")), 6, CoordinationSpec.Failback.AUTO,
            30)));
  }

  private VipMove moveHa(String to, boolean dryRun, OwnedVips owned) throws Exception {
    ClusterSpec spec = haSpec();
    VipSpec vip = spec.nfs().orElseThrow().vips().get(0);
    try (AgentClients clients = agents.clients()) {
      return new VipMover(clients, Duration.ofSeconds(5), owned).move(spec, vip, to, dryRun);
    }
  }

  /**
   * HA on: the holder's ReleaseVip, the link, the target's TakeVip, never part 1's calls, while the
   * move's ephemeral mark (real ZooKeeper) tells the failover leader to leave the VIP alone; the mark is
   * gone afterwards. A second move of the same VIP while one is marked is refused.
   */
  @Test
  void underHaTheMoveGoesThroughTheOwnershipRpcsUnderItsMark() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      c.start();
      OwnedVips owned = new OwnedVips();
      owned.attach(c);
      observer = c;
      node("gluster1", false);
      node("gluster2", false);
      link.put(VIP, ConcurrentHashMap.newKeySet());
      link.get(VIP).add("gluster1");
      VipMove m = moveHa("gluster2", false, owned);
      assertThat(m.getError()).isEmpty();
      assertThat(log).containsExactly("gluster1 ReleaseVip " + VIP + " grace=true marked=gluster2",
          "gluster2 link " + VIP + "->gluster1", "gluster2 TakeVip " + VIP + "/24 grace=true marked=gluster2");
      assertThat(twoHolders).isEmpty();
      assertThat(link.get(VIP)).containsExactly("gluster2");
      assertThat(m.getSteps(0).getWhat()).startsWith("marked " + OwnedVips.MOVING + "/" + VIP);
      assertThat(c.checkExists().forPath(OwnedVips.MOVING + "/" + VIP)).isNull();

      // another coordinator's move holds the mark: refused before any node is asked
      log.clear();
      c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(OwnedVips.MOVING + "/" + VIP);
      VipMove refused = moveHa("gluster1", false, owned);
      assertThat(refused.getError()).contains("is being moved by another coordinator");
      assertThat(log).isEmpty();
      assertThat(link.get(VIP)).containsExactly("gluster2");
    }
  }

  @Test
  void underHaWithoutASessionTheMoveSaysTheLeaderWasNotToldAndADryRunChangesNothing() throws Exception {
    node("gluster1", false);
    node("gluster2", false);
    link.put(VIP, ConcurrentHashMap.newKeySet());
    link.get(VIP).add("gluster1");
    VipMove dry = moveHa("gluster2", true, new OwnedVips());
    assertThat(dry.getError()).isEmpty();
    assertThat(log).containsExactly("gluster1 absent " + VIP + " (dry run)", "gluster2 link " + VIP + "->gluster1 (dry run)",
        "gluster2 present " + VIP + "/24 (dry run)");
    assertThat(link.get(VIP)).containsExactly("gluster1");
    log.clear();
    VipMove m = moveHa("gluster2", false, new OwnedVips());
    assertThat(m.getError()).isEmpty();
    assertThat(m.getSteps(0).getWhat()).contains("no ZooKeeper session");
    assertThat(log).containsExactly("gluster1 ReleaseVip " + VIP + " grace=true marked=-",
        "gluster2 link " + VIP + "->gluster1", "gluster2 TakeVip " + VIP + "/24 grace=true marked=-");
  }

  private VipMove move(String to, boolean dryRun) throws Exception {
    ClusterSpec spec = NfsStepsFixture.spec();
    VipSpec vip = spec.nfs().orElseThrow().vips().get(0);
    try (AgentClients clients = agents.clients()) {
      return new VipMover(clients, Duration.ofSeconds(5)).move(spec, vip, to, dryRun);
    }
  }

  @Test
  void releaseIsConfirmedBeforeTheAddAndGraceFollowsEachSide() throws Exception {
    node("gluster1", false);
    node("gluster2", false);
    link.put(VIP, ConcurrentHashMap.newKeySet());
    link.get(VIP).add("gluster1");
    VipMove m = move("gluster2", false);
    assertThat(m.getError()).isEmpty();
    assertThat(m.getChanged()).isTrue();
    assertThat(m.getFromNode()).isEqualTo("gluster1");
    assertThat(log).containsExactly("gluster1 absent " + VIP, "gluster1 grace RELEASE " + VIP,
        "gluster2 link " + VIP + "->gluster1", "gluster2 grace TAKE " + VIP, "gluster2 present " + VIP + "/24");
    assertThat(twoHolders).isEmpty();
    assertThat(link.get(VIP)).containsExactly("gluster2");
    assertThat(m.getStepsList()).extracting(VipMoveStep::getNode).containsExactly("gluster1", "gluster1", "gluster2",
        "gluster2", "gluster2");
  }

  @Test
  void aMoveToTheHolderChangesNothing() throws Exception {
    node("gluster1", false);
    node("gluster2", false);
    link.put(VIP, ConcurrentHashMap.newKeySet());
    link.get(VIP).add("gluster2");
    VipMove m = move("gluster2", false);
    assertThat(m.getChanged()).isFalse();
    assertThat(log).isEmpty();
  }

  @Test
  void aRefusedReleaseStopsTheMoveBeforeAnyAdd() throws Exception {
    node("gluster1", true);
    node("gluster2", false);
    link.put(VIP, ConcurrentHashMap.newKeySet());
    link.get(VIP).add("gluster1");
    VipMove m = move("gluster2", false);
    assertThat(m.getError()).startsWith("gluster1: release " + VIP + " failed: FAILED_PRECONDITION");
    assertThat(log).noneMatch(l -> l.startsWith("gluster2"));
    assertThat(link.get(VIP)).containsExactly("gluster1");
  }

  @Test
  void anUnreachableHolderIsNotedAndTheAddIsLeftToTheDuplicateAddressProbe() throws Exception {
    node("gluster2", false); // gluster1 has no agent
    VipMove m = move("gluster2", false);
    assertThat(m.getError()).isEmpty();
    assertThat(m.getFromNode()).isEmpty();
    assertThat(m.getSteps(0).getNode()).isEqualTo("gluster1");
    assertThat(m.getSteps(0).getWhat()).contains("cannot confirm it does not hold " + VIP);
    assertThat(log).containsExactly("gluster2 link " + VIP + "->gluster1", "gluster2 grace TAKE " + VIP,
        "gluster2 present " + VIP + "/24");
  }

  @Test
  void aDryRunAsksEveryAgentForItsDryRunAndSendsNoGrace() throws Exception {
    node("gluster1", false);
    node("gluster2", false);
    link.put(VIP, ConcurrentHashMap.newKeySet());
    link.get(VIP).add("gluster1");
    VipMove m = move("gluster2", true);
    assertThat(m.getError()).isEmpty();
    assertThat(log).containsExactly("gluster1 absent " + VIP + " (dry run)", "gluster1 grace RELEASE " + VIP + " (dry run)",
        "gluster2 link " + VIP + "->gluster1 (dry run)", "gluster2 present " + VIP + "/24 (dry run)");
    assertThat(link.get(VIP)).containsExactly("gluster1");
  }

  private static String dry(boolean dryRun) {
    return dryRun ? " (dry run)" : "";
  }

  private final class Facts extends FactsServiceGrpc.FactsServiceImplBase {
    private final String name;

    Facts(String name) {
      this.name = name;
    }

    @Override
    public void getFacts(GetFactsRequest r, StreamObserver<NodeFacts> o) {
      NodeFacts.Builder f = NodeFacts.newBuilder();
      link.forEach((ip, holders) -> {
        if (holders.contains(name)) {
          f.addVirtualIps(HeldVip.newBuilder().setAddress(ip + "/24").setInterface("eth0"));
        }
      });
      o.onNext(f.build());
      o.onCompleted();
    }
  }

  private final class Nfs extends NfsServiceGrpc.NfsServiceImplBase {
    private final String name;

    Nfs(String name) {
      this.name = name;
    }

    @Override
    public void getNfsStatus(GetNfsStatusRequest r, StreamObserver<NfsStatus> o) {
      o.onNext(NfsStatus.getDefaultInstance());
      o.onCompleted();
    }

    @Override
    public void grace(GraceRequest r, StreamObserver<GraceResult> o) {
      log.add(name + " grace " + r.getEvent().name().replace("GRACE_EVENT_", "").replace("_ADDRESS", "") + " "
          + r.getAddress() + dry(r.getOptions().getDryRun()));
      o.onNext(GraceResult.newBuilder().setResult(OperationResult.newBuilder().setChanged(true)).build());
      o.onCompleted();
    }

    @Override
    public void ensureRecoveryStore(EnsureRecoveryStoreRequest r, StreamObserver<OperationResult> o) {
      r.getLinksList().forEach(l -> log.add(name + " link " + l.getAddress() + "->" + l.getHolderNode()
          + dry(r.getOptions().getDryRun())));
      o.onNext(OperationResult.newBuilder().setChanged(true).build());
      o.onCompleted();
    }
  }

  /** What the move's mark says while the agent is called ("-": none). */
  private volatile CuratorFramework observer;

  private String marked() {
    if (observer == null) {
      return "-";
    }
    try {
      return new String(observer.getData().forPath(OwnedVips.MOVING + "/" + VIP), java.nio.charset.StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "-";
    }
  }

  /** The ownership RPCs on the same table (the znode's part is VipOwnershipTest's). */
  private final class Ownership extends VipOwnershipServiceGrpc.VipOwnershipServiceImplBase {
    private final String name;

    Ownership(String name) {
      this.name = name;
    }

    @Override
    public void takeVip(TakeVipRequest r, StreamObserver<VipOwnershipResult> o) {
      String ip = r.getAddress().substring(0, r.getAddress().indexOf('/'));
      log.add(name + " TakeVip " + r.getAddress() + " grace=" + r.getGrace() + " marked=" + marked());
      Set<String> holders = link.computeIfAbsent(ip, k -> ConcurrentHashMap.newKeySet());
      if (!holders.isEmpty()) {
        twoHolders.add(ip + " taken on " + name + " while held by " + holders);
      }
      holders.add(name);
      long now = System.currentTimeMillis();
      o.onNext(VipOwnershipResult.newBuilder().setClaimedAtMs(now).setGraceAtMs(now).setAddedAtMs(now)
          .setResult(OperationResult.newBuilder().setChanged(true)).build());
      o.onCompleted();
    }

    @Override
    public void releaseVip(ReleaseVipRequest r, StreamObserver<VipOwnershipResult> o) {
      log.add(name + " ReleaseVip " + r.getAddress() + " grace=" + r.getGrace() + " marked=" + marked());
      boolean changed = link.getOrDefault(r.getAddress(), Set.of()).remove(name);
      o.onNext(VipOwnershipResult.newBuilder().setRemovedAtMs(System.currentTimeMillis())
          .setResult(OperationResult.newBuilder().setChanged(changed)).build());
      o.onCompleted();
    }
  }

  private final class Vip extends VipServiceGrpc.VipServiceImplBase {
    private final String name;
    private final boolean refuseRelease;

    Vip(String name, boolean refuseRelease) {
      this.name = name;
      this.refuseRelease = refuseRelease;
    }

    @Override
    public void ensureVipPresent(EnsureVipPresentRequest r, StreamObserver<OperationResult> o) {
      String ip = r.getAddress().substring(0, r.getAddress().indexOf('/'));
      log.add(name + " present " + r.getAddress() + dry(r.getOptions().getDryRun()));
      if (!r.getOptions().getDryRun()) {
        Set<String> holders = link.computeIfAbsent(ip, k -> ConcurrentHashMap.newKeySet());
        if (!holders.isEmpty()) {
          twoHolders.add(ip + " added on " + name + " while held by " + holders);
        }
        holders.add(name);
      }
      o.onNext(OperationResult.newBuilder().setChanged(true).build());
      o.onCompleted();
    }

    @Override
    public void ensureVipAbsent(EnsureVipAbsentRequest r, StreamObserver<OperationResult> o) {
      if (refuseRelease) {
        o.onError(Status.FAILED_PRECONDITION.withDescription("refused for the test").asRuntimeException());
        return;
      }
      log.add(name + " absent " + r.getAddress() + dry(r.getOptions().getDryRun()));
      if (!r.getOptions().getDryRun()) {
        link.getOrDefault(r.getAddress(), Set.of()).remove(name);
      }
      o.onNext(OperationResult.newBuilder().setChanged(true).build());
      o.onCompleted();
    }
  }
}
