package io.brickyard.agent.firewall;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.common.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class RichRuleTest {

  @Test
  void rendersExactlyWhatFirewalldLists() {
    // firewalld printed these lines itself (fixture); our rendering must be byte-identical.
    List<String> listed = FirewallCmd.lines(fixture("firewall-cmd/list-rich-rules.runtime.txt"));
    Cidr lab = Cidr.parseSource("source_cidrs", "10.231.7.0/24");
    assertThat(listed).contains(
        RichRule.forService(lab, "glusterfs").toString(),
        RichRule.forPort(lab, "49152-60999/tcp").toString(),
        RichRule.forService(Cidr.parseSource("source_cidrs", "fd00:231:7::/64"), "nfs").toString());
  }

  @Test
  void expandsSourcesTimesServicesAndPorts() {
    List<RichRule> rules = RichRule.expand(List.of("10.130.0.0/16", "fd00::/64"), List.of("glusterfs", "nfs"),
        List.of("2049/tcp"));
    assertThat(rules).hasSize(6);
    assertThat(rules.get(0).toString())
        .isEqualTo("rule family=\"ipv4\" source address=\"10.130.0.0/16\" service name=\"glusterfs\" accept");
    assertThat(rules.get(5).toString())
        .isEqualTo("rule family=\"ipv6\" source address=\"fd00::/64\" port port=\"2049\" protocol=\"tcp\" accept");
  }

  @Test
  void rejectsBadInputNamingTheField() {
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "10.231.7.5/24"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source_cidrs").hasMessageContaining("host bits");
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "10.0.0.0/33")).hasMessageContaining("source_cidrs");
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "example.com/24")).hasMessageContaining("source_cidrs");
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "300.1.1.0/24")).hasMessageContaining("source_cidrs");
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "fd00::1/64")).hasMessageContaining("host bits");
    assertThatThrownBy(() -> RichRule.expand(List.of("10.0.0.0/8"), List.of("gluster fs"), List.of()))
        .hasMessageStartingWith("services:");
    assertThatThrownBy(() -> RichRule.expand(List.of("10.0.0.0/8"), List.of(), List.of("2049")))
        .hasMessageStartingWith("ports:");
    assertThatThrownBy(() -> RichRule.expand(List.of("10.0.0.0/8"), List.of(), List.of("60999-49152/tcp")))
        .hasMessageStartingWith("ports:");
    assertThatThrownBy(() -> RichRule.expand(List.of("10.0.0.0/8"), List.of(), List.of("2049/icmp")))
        .hasMessageStartingWith("ports:");
    assertThatThrownBy(() -> RichRule.expand(List.of(), List.of("nfs"), List.of()))
        .hasMessageStartingWith("source_cidrs:");
    assertThat(Cidr.parseSource("source_cidrs", "10.1.2.3").family()).isEqualTo("ipv4");
    // every address is everyone: refused in both families (a bare 0.0.0.0 is the single host /32)
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "0.0.0.0/0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("source_cidrs:")
        .hasMessageContaining("never opens a service to everyone");
    assertThatThrownBy(() -> Cidr.parseSource("source_cidrs", "::/0")).hasMessageContaining("every IPv6 address");
    assertThat(Cidr.parseSource("source_cidrs", "0.0.0.0/1").text()).isEqualTo("0.0.0.0/1");
  }
}
