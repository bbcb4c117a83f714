package io.brickyard.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
  @Test
  void aBareAddressKeepsItsSpellingButIsItsHostNetwork() {
    Cidr c = Cidr.parse(" 10.1.2.3 ");
    assertThat(c.text()).isEqualTo("10.1.2.3");
    assertThat(c.toString()).isEqualTo("10.1.2.3/32");
    assertThat(c).isEqualTo(new Cidr("10.1.2.3", 32)).isEqualTo(Cidr.parse("10.1.2.3/32"));
    assertThat(Cidr.parse("fd00::/64").family()).isEqualTo("ipv6");
    assertThat(c.family()).isEqualTo("ipv4");
  }

  @Test
  void sourcesRefuseEveryoneAndHostBitsNamingTheField() {
    assertThat(Cidr.parseSource("f", "10.130.0.0/16").text()).isEqualTo("10.130.0.0/16");
    assertThatThrownBy(() -> Cidr.parseSource("f", "0.0.0.0/0")).hasMessage("f: '0.0.0.0/0' is every IPv4 address;"
        + " brickyard never opens a service to everyone (name the trusted networks)");
    assertThatThrownBy(() -> Cidr.parseSource("f", "10.130.1.0/16"))
        .hasMessage("f: '10.130.1.0/16' has host bits set; use the network address");
    assertThatThrownBy(() -> Cidr.parseSource("f", "010.0.0.0/8")).hasMessageStartingWith("f: '010.0.0.0/8'");
    assertThatThrownBy(() -> Cidr.parseSource("f", " ")).hasMessage("f: empty source CIDR");
  }
}
