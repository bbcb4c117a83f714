package io.brickyard.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Test
  void cidrHostBitsAndNetwork() {
    Cidr c = Cidr.parse("10.130.1.0/16");
    assertThat(c.hostBitsSet()).isTrue();
    assertThat(c.network()).isEqualTo(new Cidr("10.130.0.0", 16));
    assertThat(Cidr.parse("10.130.0.0/16").hostBitsSet()).isFalse();
    assertThat(Cidr.parse("10.130.0.0/16").contains("10.130.255.1")).isTrue();
    assertThat(Cidr.parse("10.130.0.0/16").contains("10.131.0.1")).isFalse();
    assertThat(Cidr.parse("10.130.0.0/16").contains("gluster1")).isFalse();
    assertThat(Cidr.parse("192.168.1.7")).isEqualTo(new Cidr("192.168.1.7", 32));
  }

  @Test
  void ipv6CidrsWithoutDns() {
    Cidr c = Cidr.parse("fd00:0:0:1::5/48");
    assertThat(c.hostBitsSet()).isTrue();
    assertThat(c.network().toString()).isEqualTo("fd00::/48");
    assertThat(Cidr.parse("fd00::/8").contains("fdff::1")).isTrue();
    assertThat(Cidr.parse("::ffff:10.0.0.1").prefix()).isEqualTo(128);
    assertThat(IpAddress.format(IpAddress.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.256/8", "010.0.0.0/8", "10.0.0/8", "fd00:::1/64", "fd00::1::2/64",
      "1:2:3:4:5:6:7:8:9/64", "gluster1/24", "10.0.0.0/-1", "10.0.0.0/", "fd00::/129"})
  void badCidrsAreRefused(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
