package io.brickyard.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void agentAddresses() {
    assertThat(HostPort.parse("gluster1", HostPort.AGENT_PORT)).isEqualTo(new HostPort("gluster1", 7443));
    assertThat(HostPort.parse("10.77.0.11:7443", 7443)).isEqualTo(new HostPort("10.77.0.11", 7443));
    assertThat(HostPort.parse("[fd00::1]:9000", 7443)).isEqualTo(new HostPort("fd00::1", 9000));
    assertThat(new HostPort("fd00::1", 9000).toString()).isEqualTo("[fd00::1]:9000");
    assertThatThrownBy(() -> HostPort.parse(":7443", 7443)).hasMessage("':7443': the host is empty");
    assertThatThrownBy(() -> HostPort.parse("h:http", 7443)).hasMessage("'h:http': port 'http' is not a number");
  }

  @Test
  void theDefaultPortIsTheCallersChoice() {
    assertThat(HostPort.parse("[fd00::1]", 7444)).isEqualTo(new HostPort("fd00::1", 7444));
    assertThat(HostPort.parse("127.0.0.1:9465")).isEqualTo(new HostPort("127.0.0.1", 9465));
    assertThatThrownBy(() -> HostPort.parse("127.0.0.1")).hasMessage("'127.0.0.1': expected HOST:PORT");
  }

  @Test
  void onlyListenAddressesMayAskForAnyFreePort() {
    assertThat(HostPort.parseListen("[::]:0")).isEqualTo(new HostPort("::", 0));
    assertThatThrownBy(() -> HostPort.parse("h:0")).hasMessage("'h:0': port 0 is out of range 1-65535");
    assertThatThrownBy(() -> HostPort.parseListen("h:65536")).hasMessage("'h:65536': port 65536 is out of range 0-65535");
    assertThatThrownBy(() -> HostPort.parse("fd00::1:7443")).hasMessageContaining("in brackets");
  }
}
