package io.brickyard.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.facts.IpAddr;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.VipServiceGrpc;
import io.brickyard.api.agent.v1.VipServiceGrpc.VipServiceBlockingStub;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real VipServiceImpl behind in-process gRPC, one per lab node, each running the real ip and
 * arping inside its own network namespace ({@link VipLab}: nodes a and b and a client on one
 * bridge). Needs root. Run only under the lab lock (docs/nfs-vip.md).
 */
@Tag("lab")
class VipLabTest {
  private static final String CIDR = VipLab.VIP + "/24";
  private VipLab lab;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private VipServiceBlockingStub a;
  private VipServiceBlockingStub b;

  @BeforeEach
  void start() throws IOException {
    lab = new VipLab().start();
    a = agent(lab.a().runner());
    b = agent(lab.b().runner());
  }

  /** An agent's VIP service on one node: what the agent process serves, minus TLS. */
  VipServiceBlockingStub agent(CommandRunner runner) throws IOException {
    String name = "vip-lab-" + System.nanoTime();
    servers.add(InProcessServerBuilder.forName(name).directExecutor().addService(new VipServiceImpl(runner))
        .build().start());
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(ch);
    return VipServiceGrpc.newBlockingStub(ch);
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    lab.close();
  }

  static OperationResult add(VipServiceBlockingStub s) {
    return s.ensureVipPresent(EnsureVipPresentRequest.newBuilder().setAddress(CIDR).build());
  }

  static OperationResult remove(VipServiceBlockingStub s) {
    return s.ensureVipAbsent(EnsureVipAbsentRequest.newBuilder().setAddress(VipLab.VIP).build());
  }

  private List<HeldVip> held(VipLab.Host h) {
    return VipLabel.held(IpAddr.links(h.runner().runChecked(IpAddr.COMMAND).stdout()));
  }

  @Test
  void addAnswerRefuseWhileHeldMoveAndAnnounce() throws IOException {
    OperationResult added = add(a);
    assertThat(added.getChanged()).isTrue();
    assertThat(added.getCommandsList()).hasSize(3).allMatch(c -> c.getExitCode() == 0 && !c.getPlannedOnly());
    assertThat(held(lab.a())).containsExactly(HeldVip.newBuilder().setAddress(CIDR).setInterface("eth0").build());
    assertThat(lab.clientPings(VipLab.VIP)).isTrue();
    assertThat(lab.clientNeighbour(VipLab.VIP)).isEqualTo(lab.a().mac());

    // b's add while a holds it: the duplicate address probe gets a's answer; nothing is added.
    assertThatThrownBy(() -> add(b)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).contains("held by MAC " + lab.a().mac());
    });
    assertThat(lab.holds(lab.b(), VipLab.VIP)).isFalse();

    // A restarted agent (a new service instance) knows its VIP from the kernel's label alone.
    assertThat(add(agent(lab.a().runner())).getChanged()).isFalse();

    assertThat(remove(a).getChanged()).isTrue();
    assertThat(remove(a).getChanged()).isFalse();
    assertThat(held(lab.a())).isEmpty();
    // The client still points at a's MAC until b announces itself.
    assertThat(lab.clientNeighbour(VipLab.VIP)).isEqualTo(lab.a().mac());

    assertThat(add(b).getChanged()).isTrue();
    // Read before the client sends anything: only the gratuitous ARP can have changed the entry.
    assertThat(lab.clientNeighbour(VipLab.VIP)).isEqualTo(lab.b().mac());
    assertThat(lab.clientPings(VipLab.VIP)).isTrue();
    assertThat(held(lab.b())).extracting(HeldVip::getAddress).containsExactly(CIDR);
  }

  @Test
  void theNodesOwnAddressesAndForeignSubnetsAreRefused() {
    assertThatThrownBy(() -> b.ensureVipAbsent(EnsureVipAbsentRequest.newBuilder().setAddress(lab.b().ip()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThatThrownBy(() -> b.ensureVipPresent(EnsureVipPresentRequest.newBuilder().setAddress("10.9.9.9/24").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    assertThatThrownBy(() -> b.ensureVipPresent(EnsureVipPresentRequest.newBuilder().setAddress("-1.2.3.4/24").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(lab.holds(lab.b(), lab.b().ip())).isTrue();
  }
}
