package io.brickyard.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.Fixtures;
import io.brickyard.agent.facts.IpAddr;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.api.agent.v1.HeldVip;
import io.brickyard.api.agent.v1.NetworkInterface;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The VIP mark in real {@code ip -json addr} output and real iputils arping output. */
class VipParsersTest {
  private static CommandResult arping(int exit, String stdout, String stderr) {
    return new CommandResult(Command.of("arping"), exit, stdout, stderr, Duration.ofMillis(5), false);
  }

  @Test
  void factsListTheVipApartFromTheNodesOwnAddresses() {
    List<IpAddr.Link> links = IpAddr.links(Fixtures.read("ip/vip-held.json"));
    assertThat(VipLabel.held(links)).containsExactly(
        HeldVip.newBuilder().setAddress("10.231.9.100/24").setInterface("eth0").build());
    NetworkInterface eth0 = IpAddr.interfaces(links).stream().filter(i -> i.getName().equals("eth0")).findFirst()
        .orElseThrow();
    assertThat(eth0.getAddressesList()).containsExactly("10.231.9.1/24", "10.231.9.51/24", "fe80::2468:e0ff:fe74:9bb0/64");
    assertThat(eth0.getMac()).isEqualTo("26:68:e0:74:9b:b0");
  }

  @Test
  void aNodeWithoutVipsHoldsNone() {
    assertThat(VipLabel.held(IpAddr.links(Fixtures.read("ip/vip-none.json")))).isEmpty();
    assertThat(VipLabel.held(IpAddr.links(Fixtures.read("ip/debian12-host.json")))).isEmpty();
  }

  @Test
  void linkFlagsAndTypesAreKept() {
    List<IpAddr.Link> links = IpAddr.links(Fixtures.read("ip/vip-several-links.json"));
    IpAddr.Link eth1 = links.stream().filter(l -> l.name().equals("eth1")).findFirst().orElseThrow();
    assertThat(eth1.flags()).contains("NOARP", "UP");
    assertThat(eth1.linkType()).isEqualTo("ether");
    assertThat(links.get(0).flags()).contains("LOOPBACK");
    assertThat(links.stream().filter(l -> l.name().equals("eth2")).findFirst().orElseThrow().up()).isFalse();
  }

  @Test
  void labelFitsTheKernelLimitOrIsRefused() {
    assertThat(VipLabel.of("eth0")).isEqualTo("eth0:by");
    assertThat(VipLabel.of("enp0s31f6abc")).hasSize(15);
    assertThatThrownBy(() -> VipLabel.of("enx001122334455")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long for the VIP label");
  }

  @Test
  void dadAnsweredGivesTheMacs() {
    Arping.Dad d = Arping.dadOutcome(arping(1, Fixtures.read("arping/dad-held.txt"), ""));
    assertThat(d.held()).isTrue();
    assertThat(d.answeredBy()).containsExactly("26:68:e0:74:9b:b0");
  }

  @Test
  void dadUnansweredWithAProbeSentIsFree() {
    assertThat(Arping.dadOutcome(arping(0, Fixtures.read("arping/dad-free.txt"), "")).held()).isFalse();
  }

  @Test
  void dadWithoutAProbeSentIsNeverFree() {
    // Stopped before its first probe (a very loaded node): exit 0, but nobody was asked.
    assertThatThrownBy(() -> Arping.dadOutcome(arping(0, "ARPING 10.231.9.101 from 0.0.0.0 eth0\nSent 0 probes "
        + "(0 broadcast(s))\nReceived 0 response(s)\n", ""))).isInstanceOf(OperationFailedException.class);
    assertThatThrownBy(() -> Arping.dadOutcome(arping(2, "", Fixtures.read("arping/dad-no-device.txt"))))
        .isInstanceOf(OperationFailedException.class);
    assertThatThrownBy(() -> Arping.dadOutcome(arping(1, "", Fixtures.read("arping/dad-invalid-argument.txt"))))
        .isInstanceOf(OperationFailedException.class);
  }

  @Test
  void ipv4Arithmetic() {
    Ipv4 a = Ipv4.parseCidr("address", "10.231.9.100/24");
    assertThat(a.subnet()).isEqualTo("10.231.9.0/24");
    assertThat(a.address()).isEqualTo("10.231.9.100");
    assertThat(a.contains(Ipv4.parseAddress("x", "10.231.9.255"))).isTrue();
    assertThat(a.contains(Ipv4.parseAddress("x", "10.231.10.1"))).isFalse();
    assertThat(Ipv4.parseCidr("address", "255.255.255.255/0").contains(Ipv4.parseAddress("x", "1.2.3.4"))).isTrue();
    assertThat(Ipv4.parseCidr("address", "200.1.2.3/32").address()).isEqualTo("200.1.2.3");
  }
}
