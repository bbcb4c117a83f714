package io.brickyard.common.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.common.net.LocalAddresses;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ZkConfigTest {
  @Test
  void membersParseInIdOrderAndGiveTheConnectString() {
    ZkEnsemble e = ZkEnsemble.parse("3=10.77.0.1, 1=10.77.0.11,2=10.77.0.12");
    assertThat(e.ids()).containsExactly(1, 2, 3);
    assertThat(e.connectString()).isEqualTo("10.77.0.11:2281,10.77.0.12:2281,10.77.0.1:2281");
    assertThat(e.faultsTolerated()).isEqualTo(1);
    assertThat(ZkEnsemble.parse("1=10.0.0.1,2=10.0.0.2").faultsTolerated()).isZero();
    assertThat(e.toString()).isEqualTo("1=10.77.0.11,2=10.77.0.12,3=10.77.0.1");
  }

  @Test
  void aClientLeavesOutTheMemberOnItsOwnHostUnlessItIsTheOnlyOne() {
    ZkEnsemble e = ZkEnsemble.parse("1=10.77.0.11,2=10.77.0.12,3=10.77.0.1");
    assertThat(e.remoteConnectString("10.77.0.11"::equals)).isEqualTo("10.77.0.12:2281,10.77.0.1:2281");
    assertThat(e.remoteConnectString(ip -> false)).isEqualTo(e.connectString());
    assertThat(ZkEnsemble.parse("1=127.0.0.1").remoteConnectString(LocalAddresses::isLocal)).isEqualTo("127.0.0.1:2281");
    assertThat(ZkEnsemble.parse("1=127.0.0.1,2=192.0.2.7").remoteConnectString(LocalAddresses::isLocal))
        .as("192.0.2.0/24 is TEST-NET-1, on no host").isEqualTo("192.0.2.7:2281");
  }

  @Test
  void badMembersAreRefusedNamingWhat() {
    assertThatThrownBy(() -> ZkEnsemble.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> ZkEnsemble.parse("1=10.0.0.1,1=10.0.0.2")).hasMessageContaining("id 1 is listed twice");
    assertThatThrownBy(() -> ZkEnsemble.parse("1=10.0.0.1,2=10.0.0.1")).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> ZkEnsemble.parse("0=10.0.0.1")).hasMessageContaining("1-255");
    assertThatThrownBy(() -> ZkEnsemble.parse("1=zk1.example")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> ZkEnsemble.parse("1=010.0.0.1")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> ZkEnsemble.parse("1=10.0.0.1;rm")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> ZkEnsemble.parse("x=10.0.0.1")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> ZkEnsemble.parse("1=10.0.0.1", 2281, 2281, 3888)).hasMessageContaining("must differ");
  }

  @Test
  void theMemberConfigurationIsTlsOnlyWithRolesAndItsOwnAddress() {
    ZkMemberConfig c = new ZkMemberConfig(ZkEnsemble.parse("1=10.77.0.11,2=10.77.0.12,3=10.77.0.1"), 2,
        Path.of("/var/lib/brickyard-zookeeper"), Path.of("/var/lib/brickyard-zookeeper/tls/zk-node.pem"),
        Path.of("/etc/brickyard/tls/ca.crt"));
    Properties p = c.properties();
    assertThat(p.getProperty("clientPort")).isNull();
    assertThat(p.getProperty("secureClientPort")).isEqualTo("2281");
    assertThat(p.getProperty("secureClientPortAddress")).isEqualTo("10.77.0.12");
    assertThat(p.getProperty("ssl.clientAuth")).isEqualTo("need");
    assertThat(p.getProperty("sslQuorum")).isEqualTo("true");
    assertThat(p.getProperty("tcpKeepAlive")).as("idle election connections keep the firewall's conntrack entry")
        .isEqualTo("true");
    assertThat(p.getProperty("ssl.quorum.keyStore.type")).isEqualTo("PEM");
    assertThat(p.getProperty("authProvider.x509")).isEqualTo(RoleX509AuthProvider.class.getName());
    assertThat(p.getProperty("server.3")).isEqualTo("10.77.0.1:2888:3888");
    assertThat(p.getProperty("admin.enableServer")).isEqualTo("false");
    // sessions of 6 s must lie inside ZooKeeper's [2, 20] ticks
    long tick = Long.parseLong(p.getProperty("tickTime"));
    assertThat(ZkClients.SESSION_TIMEOUT.toMillis()).isBetween(2 * tick, 20 * tick);
    assertThatThrownBy(() -> new ZkMemberConfig(ZkEnsemble.parse("1=10.0.0.1"), 2, Path.of("/d"), Path.of("/k"),
        Path.of("/c"))).hasMessageContaining("not a member");
  }

  @Test
  void theLauncherRefusesUnknownOptions() {
    assertThatThrownBy(() -> ZkMemberMain.prepare(new String[] {"--id", "1", "--bogus", "x"}))
        .hasMessageContaining("unknown option '--bogus'");
    assertThatThrownBy(() -> ZkMemberMain.prepare(new String[] {"--id", "1"}))
        .hasMessageContaining("--members is required");
  }
}
