package io.brickyard.common.zk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration Brickyard writes for one ZooKeeper member (the real server, {@code QuorumPeerMain}):
 * TLS only (a secure client port and no plain one; TLS between members), client certificates demanded
 * and mapped to roles ({@link RoleX509AuthProvider}), the member listening on its own address only, no
 * admin HTTP server, no dynamic reconfiguration. docs/ha.md explains each choice.
 *
 * @param keyStore the member's key and certificate in one PEM file ({@link ZkPem})
 */
public record ZkMemberConfig(ZkEnsemble ensemble, int myId, Path dataDir, Path keyStore, Path caCert) {
  /** docs/ha.md, "Timeouts": sessions of 6 s are 12 ticks, inside ZooKeeper's [2, 20] tick bounds. */
  public static final Duration TICK = Duration.ofMillis(500);

  public ZkMemberConfig {
    if (!ensemble.members().containsKey(myId)) {
      throw new IllegalArgumentException("id: " + myId + " is not a member of " + ensemble);
    }
  }

  public String myAddress() {
    return ensemble.members().get(myId);
  }

  public Properties properties() {
    Properties p = new Properties();
    p.setProperty("tickTime", Long.toString(TICK.toMillis()));
    // A follower has 10 s to connect and sync to a new leader, and is dropped after 3 s without it.
    p.setProperty("initLimit", "20");
    p.setProperty("syncLimit", "6");
    p.setProperty("dataDir", dataDir.toString());
    p.setProperty("secureClientPort", Integer.toString(ensemble.clientPort()));
    p.setProperty("secureClientPortAddress", myAddress());
    p.setProperty("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
    p.setProperty("authProvider.x509", RoleX509AuthProvider.class.getName());
    p.setProperty("ssl.clientAuth", "need");
    tls(p, "ssl.");
    p.setProperty("sslQuorum", "true");
    p.setProperty("portUnification", "false");
    tls(p, "ssl.quorum.");
    p.setProperty("ssl.quorum.hostnameVerification", "true");
    p.setProperty("ssl.hostnameVerification", "true");
    p.setProperty("admin.enableServer", "false");
    p.setProperty("reconfigEnabled", "false");
    p.setProperty("standaloneEnabled", "true");
    p.setProperty("4lw.commands.whitelist", "srvr,ruok");
    // The election connections between members sit idle between elections. A stateful firewall (firewalld
    // drops or rejects what its conntrack does not know) forgets an idle connection (5 days, or at once
    // when the member started before firewalld); the next election's packets on it are then refused and a
    // member stays out until TCP gives up, 16 minutes (docs/ha.md). TCP keepalive (every 2 h idle, the
    // kernel's default) keeps the firewall's entry, or closes the connection so that it is dialled anew.
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("autopurge.snapRetainCount", "3");
    p.setProperty("autopurge.purgeInterval", "1");
    for (Map.Entry<Integer, String> m : ensemble.members().entrySet()) {
      p.setProperty("server." + m.getKey(),
          m.getValue() + ":" + ensemble.quorumPort() + ":" + ensemble.electionPort());
    }
    return p;
  }

  private void tls(Properties p, String prefix) {
    p.setProperty(prefix + "keyStore.location", keyStore.toString());
    p.setProperty(prefix + "keyStore.type", "PEM");
    p.setProperty(prefix + "trustStore.location", caCert.toString());
    p.setProperty(prefix + "trustStore.type", "PEM");
  }
}
