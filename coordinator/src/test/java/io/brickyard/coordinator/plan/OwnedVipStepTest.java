package io.brickyard.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.agent.v1.GetNfsStatusRequest;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.GraceResult;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.TakeVipRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.VipOwnershipServiceGrpc;
import io.brickyard.api.agent.v1.VipServiceGrpc;
import io.brickyard.coordinator.nfs.ExportIds;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.CoordinationSpec;
import io.brickyard.coordinator.testing.InProcessAgents;
import io.brickyard.coordinator.vip.VipMover;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Apply's VIP step with a coordination section (docs/ha.md): the home node's TakeVip after its ganesha
 * answers, never part 1's grace + EnsureVipPresent; its dry run is EnsureVipPresent's. Without the
 * section the step is part 1's.
 */
class OwnedVipStepTest {
  private final InProcessAgents agents = new InProcessAgents("ownedvip-");
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger downReads = new AtomicInteger(2);

  @AfterEach
  void stop() throws InterruptedException {
    agents.close();
  }

  private static ClusterSpec ha() throws Exception {
    ClusterSpec s = NfsStepsFixture.spec();
    return new ClusterSpec(s.name(), s.nodes(), s.firewall(), s.storage(), s.volumes(), s.nfs(), Optional.of(
        new CoordinationSpec(List.of(new CoordinationSpec.Member(1, "10.77.0.11")), 6, CoordinationSpec.Failback.AUTO,
            30)));
  }

  private static Step vipStep(ClusterSpec spec) {
    NfsFacts fresh = new NfsFacts(List.of(NfsStepsTest.node("gluster1"), NfsStepsTest.node("gluster2")));
    List<Step> steps = DesiredSteps.nfs(spec, fresh, ExportIds.empty().assign(List.of("/vol1", "/vol2")), false,
        new VipMover(null, Duration.ofSeconds(1)), new ArrayList<>());
    return steps.stream().filter(s -> s.key().equals(new StepKey.Vip("gluster1", "10.77.0.201"))).findFirst()
        .orElseThrow();
  }

  @Test
  void underHaTheHomeTakesItsVipThroughTakeVipOnceGaneshaIsUp() throws Exception {
    agents.add("gluster1", new Nfs(), new Vip(), new Ownership());
    Step s = vipStep(ha());
    assertThat(s.action()).isEqualTo("nfs.vip.take");
    assertThat(s.description()).contains("TakeVip");
    try (AgentClients clients = agents.clients()) {
      OperationResult dry = s.call().run(clients, s.target(), RequestOptions.newBuilder().setDryRun(true).build(),
          Duration.ofSeconds(5));
      assertThat(dry.getChanged()).isTrue();
      assertThat(log).containsExactly("present 10.77.0.201/24 (dry run)");
      log.clear();
      OperationResult r = s.call().run(clients, s.target(), RequestOptions.getDefaultInstance(), Duration.ofSeconds(5));
      assertThat(r.getChanged()).isTrue();
      assertThat(r.getSummary()).contains("under its ZooKeeper znode", "grace 5 sent");
      assertThat(log).containsExactly("status down", "status down", "status up", "TakeVip 10.77.0.201/24 grace=true");
    }
  }

  @Test
  void withoutCoordinationTheStepIsPartOnes() throws Exception {
    Step s = vipStep(NfsStepsFixture.spec());
    assertThat(s.action()).isEqualTo("nfs.vip");
  }

  private final class Nfs extends NfsServiceGrpc.NfsServiceImplBase {
    @Override
    public void getNfsStatus(GetNfsStatusRequest r, StreamObserver<NfsStatus> o) {
      boolean up = downReads.getAndDecrement() <= 0;
      log.add("status " + (up ? "up" : "down"));
      o.onNext(NfsStatus.newBuilder().setHealth(GaneshaHealth.newBuilder().setUp(up)
          .setDetail(up ? "" : "ganesha is not on the system bus")).build());
      o.onCompleted();
    }

    @Override
    public void grace(GraceRequest r, StreamObserver<GraceResult> o) {
      log.add("grace " + r.getEvent());
      o.onNext(GraceResult.getDefaultInstance());
      o.onCompleted();
    }
  }

  private final class Vip extends VipServiceGrpc.VipServiceImplBase {
    @Override
    public void ensureVipPresent(EnsureVipPresentRequest r, StreamObserver<OperationResult> o) {
      log.add("present " + r.getAddress() + (r.getOptions().getDryRun() ? " (dry run)" : ""));
      o.onNext(OperationResult.newBuilder().setChanged(true).build());
      o.onCompleted();
    }
  }

  private final class Ownership extends VipOwnershipServiceGrpc.VipOwnershipServiceImplBase {
    @Override
    public void takeVip(TakeVipRequest r, StreamObserver<VipOwnershipResult> o) {
      log.add("TakeVip " + r.getAddress() + " grace=" + r.getGrace());
      long now = System.currentTimeMillis();
      o.onNext(VipOwnershipResult.newBuilder().setClaimedAtMs(now).setGraceAtMs(now).setAddedAtMs(now).setSession("1a")
          .setResult(OperationResult.newBuilder().setChanged(true)).build());
      o.onCompleted();
    }
  }
}
