package io.brickyard.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.Coordinator;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.api.coordinator.v1.ZkMember;
import io.brickyard.cli.config.OutputOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** status's COORDINATION section and its JSON: the leader, the standbys, and whether the ensemble is fault tolerant. */
class HaStatusTest {
  private static HaView view(int members) {
    return HaView.newBuilder().setEnabled(true).setSelfId("coordinator2").setSelfAddress("10.77.0.2:7444").setConnected(true)
        .setLeaderId("coordinator1").setLeaderAddress("127.0.0.1:7444").setEnsembleSize(members)
        .setToleratedFailures((members - 1) / 2)
        .addCoordinators(Coordinator.newBuilder().setId("coordinator1").setAddress("127.0.0.1:7444").setLeader(true))
        .addCoordinators(Coordinator.newBuilder().setId("coordinator2").setAddress("10.77.0.2:7444")).build();
  }

  private static String text(HaView ha) {
    StringWriter w = new StringWriter();
    StatusCommand.print(ClusterStatus.newBuilder().setHa(ha).build(), new PrintWriter(w, true));
    return w.toString();
  }

  @Test
  void theLeaderTheStandbyAndAThreeMemberEnsemble() {
    assertThat(text(view(3))).contains("""
        COORDINATION (ZooKeeper; answered by coordinator2)
          leader     coordinator1 at 127.0.0.1:7444
          standby    coordinator2 at 10.77.0.2:7444
          ensemble   3 members: fault tolerant, survives the loss of 1 member
        """);
    assertThat(HaStatusText.healthy(view(3))).isTrue();
  }

  @Test
  void oneAndTwoMembersAreNotFaultTolerant() {
    assertThat(text(view(1))).contains("ensemble   1 member: NOT fault tolerant (losing it stops every failover");
    assertThat(text(view(2))).contains("ensemble   2 members: NOT fault tolerant (a 2-member ensemble cannot lose either member");
    assertThat(HaStatusText.ensemble(5)).isEqualTo("5 members: fault tolerant, survives the loss of 2 members");
  }

  @Test
  void aMemberOutOfTheQuorumIsNamedAndUnhealthy() {
    HaView all = view(3).toBuilder()
        .addMembers(ZkMember.newBuilder().setId(1).setAddress("10.77.0.11").setMode("follower"))
        .addMembers(ZkMember.newBuilder().setId(2).setAddress("10.77.0.12").setMode("leader"))
        .addMembers(ZkMember.newBuilder().setId(3).setAddress("10.77.0.1").setMode("follower")).build();
    assertThat(text(all)).contains("  member 1   10.77.0.11: follower\n  member 2   10.77.0.12: leader\n")
        .doesNotContain("serving:");
    assertThat(HaStatusText.healthy(all)).isTrue();
    HaView one = all.toBuilder().setMembers(0, ZkMember.newBuilder().setId(1).setAddress("10.77.0.11")
        .setDetail("not in a quorum")).build();
    assertThat(text(one)).contains("  member 1   10.77.0.11: NOT SERVING (not in a quorum)",
        "  ensemble   2 of 3 members serving: survives the loss of 0 more");
    assertThat(HaStatusText.healthy(one)).isFalse();
    HaView two = one.toBuilder().setMembers(1, ZkMember.newBuilder().setId(2).setAddress("10.77.0.12")
        .setDetail("unreachable: Connection refused")).build();
    assertThat(text(two)).contains("only 1 of 3 members serving, a quorum needs 2: failover and changes wait");
  }

  @Test
  void noLeaderKnownIsSaidAndUnhealthy() {
    HaView lost = HaView.newBuilder().setEnabled(true).setSelfId("coordinator2").setEnsembleSize(3).build();
    assertThat(text(lost)).contains("leader     UNKNOWN (coordinator2's ZooKeeper session is not connected)");
    assertThat(HaStatusText.healthy(lost)).isFalse();
  }

  @Test
  void withoutAnElectionTheSectionIsLeftOut() {
    assertThat(text(HaView.newBuilder().setSelfAddress("127.0.0.1:7444").build())).doesNotContain("COORDINATION");
    assertThat(HaStatusText.healthy(HaView.getDefaultInstance())).isTrue();
  }

  @Test
  void jsonCarriesTheLeaderAndTheEnsemble() throws Exception {
    String json = OutputOptions.render(OutputOptions.Format.json, ClusterStatus.newBuilder().setHa(view(1)).build());
    assertThat(json).contains("\"leaderId\": \"coordinator1\"", "\"leaderAddress\": \"127.0.0.1:7444\"",
        "\"ensembleSize\": 1", "\"toleratedFailures\": 0");
  }
}
