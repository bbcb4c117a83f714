package io.brickyard.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.common.net.HostPort;
import org.junit.jupiter.api.Test;

/** The address a coordinator publishes in the election, from which the CLI dials the leader. */
class AdvertisedAddressTest {
  @Test
  void theListenAddressUnlessItIsAWildcardOrAnAddressIsGiven() {
    assertThat(CoordinatorMain.advertised("", HostPort.parseListen("10.77.0.2:7444"), () -> "unused")).isEqualTo("10.77.0.2:7444");
    assertThat(CoordinatorMain.advertised("", HostPort.parseListen("0.0.0.0:7444"), () -> "coord2")).isEqualTo("coord2:7444");
    assertThat(CoordinatorMain.advertised("", HostPort.parseListen("[::]:7444"), () -> "coord2")).isEqualTo("coord2:7444");
    assertThat(CoordinatorMain.advertised("c.example:7000", HostPort.parseListen("0.0.0.0:7444"), () -> "coord2"))
        .isEqualTo("c.example:7000");
    assertThatThrownBy(() -> CoordinatorMain.advertised("c.example", HostPort.parseListen("0.0.0.0:7444"), () -> "x"))
        .hasMessageStartingWith("--advertise:");
  }
}
