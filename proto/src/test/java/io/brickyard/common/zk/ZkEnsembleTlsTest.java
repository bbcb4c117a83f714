package io.brickyard.common.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-member ensemble (three JVMs running the member launcher, TLS between members and to
 * clients, on 127.0.0.1-3): Brickyard's certificates write, an admin certificate reads but cannot
 * write, a client without a certificate or with another CA's is refused, and the ensemble keeps
 * serving writes with one member killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZkEnsembleTlsTest {
  @TempDir static Path dir;
  private ZkTestEnsemble zk;
  private CuratorFramework coordinator;

  @BeforeAll
  void start() throws Exception {
    zk = new ZkTestEnsemble(dir, 3);
    zk.startAll();
    coordinator = client(zk.client("coordinator", Role.COORDINATOR), "coordinator");
    if (!coordinator.blockUntilConnected(40, TimeUnit.SECONDS)) {
      throw new AssertionError("the coordinator never connected; member 1 log:\n" + zk.log(1));
    }
    ZkClients.ensureSchema(coordinator, ZkAcls.ROOT + "/vips");
  }

  @AfterAll
  void stop() throws Exception {
    if (coordinator != null) {
      coordinator.close();
    }
    if (zk != null) {
      zk.close();
    }
  }

  private CuratorFramework client(TlsFiles tls, String name) throws Exception {
    CuratorFramework c = ZkClients.curator(zk.ensemble.connectString(),
        ZkClients.tlsConfig(tls, dir.resolve("private-" + name)), ZkClients.SESSION_TIMEOUT,
        ZkClients.CONNECTION_TIMEOUT);
    c.start();
    return c;
  }

  /**
   * Two coordinators ensuring the schema at the same moment (lab up --ha starts two, and both proceed
   * when the ensemble forms): both succeed. Before the retry on BadVersion, the one whose conditional
   * ACL write lost failed its start and its coordinator exited (CI: "coordinator did not become
   * SERVING within 60 s (connection refused)"). Each round resets the root's ACL to ZooKeeper's default.
   */
  @Test
  void twoCoordinatorsEnsuringTheSchemaAtOnceBothSucceed() throws Exception {
    try (CuratorFramework second = client(zk.client("coordinator2", Role.COORDINATOR), "coordinator2")) {
      assertThat(second.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
      java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          coordinator.setACL().withACL(org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath("/");
          java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
          List<java.util.concurrent.Future<Object>> done = two.invokeAll(List.of(
              () -> { together.await(); ZkClients.ensureSchema(coordinator, ZkAcls.ROOT + "/vips"); return null; },
              () -> { together.await(); ZkClients.ensureSchema(second, ZkAcls.ROOT + "/vips"); return null; }));
          for (java.util.concurrent.Future<Object> f : done) {
            f.get(); // throws what ensureSchema threw
          }
          assertThat(coordinator.getACL().forPath("/")).isEqualTo(ZkAcls.brickyard());
        }
      } finally {
        two.shutdownNow();
      }
    }
  }

  @Test
  void coordinatorAndNodeCertificatesWriteBrickyardsZnodes() throws Exception {
    coordinator.create().forPath("/brickyard/vips/10.0.0.1", "gluster1".getBytes(StandardCharsets.UTF_8));
    try (CuratorFramework node = client(zk.client("gluster2", Role.NODE), "gluster2")) {
      assertThat(node.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
      node.create().withMode(CreateMode.EPHEMERAL).forPath("/brickyard/vips/10.0.0.2");
      assertThat(node.getData().forPath("/brickyard/vips/10.0.0.1")).asString().isEqualTo("gluster1");
      assertThat(coordinator.getACL().forPath("/brickyard/vips/10.0.0.2")).isEqualTo(ZkAcls.brickyard());
    }
  }

  @Test
  void anAdminCertificateReadsButCannotWriteBrickyardsZnodesNorTheRoot() throws Exception {
    coordinator.create().orSetData().forPath("/brickyard/vips/10.0.0.9", "gluster1".getBytes(StandardCharsets.UTF_8));
    try (CuratorFramework admin = client(zk.client("alice", Role.ADMIN), "alice")) {
      assertThat(admin.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
      assertThat(admin.getData().forPath("/brickyard/vips/10.0.0.9")).asString().isEqualTo("gluster1");
      assertThatThrownBy(() -> admin.create().forPath("/brickyard/vips/10.0.0.10"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> admin.setData().forPath("/brickyard/vips/10.0.0.9", new byte[] {1}))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> admin.delete().forPath("/brickyard/vips/10.0.0.9"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> admin.create().forPath("/elsewhere"))
          .isInstanceOf(KeeperException.NoAuthException.class);
    }
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    ZKClientConfig c = new ZKClientConfig();
    try (ClientX509Util x = new ClientX509Util()) {
      c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
      c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
      c.setProperty(x.getSslTruststoreLocationProperty(), zk.ca.dir().resolve("ca.crt").toString());
      c.setProperty(x.getSslTruststoreTypeProperty(), "PEM");
    }
    try (CuratorFramework anon = ZkClients.curator(zk.ensemble.connectString(), c, ZkClients.SESSION_TIMEOUT,
        ZkClients.CONNECTION_TIMEOUT)) {
      anon.start();
      assertThat(anon.blockUntilConnected(3, TimeUnit.SECONDS)).isFalse();
    }
    // and without TLS at all (the members have no plain port)
    ZKClientConfig plain = new ZKClientConfig();
    try (CuratorFramework anon = ZkClients.curator(zk.ensemble.connectString(), plain, ZkClients.SESSION_TIMEOUT,
        ZkClients.CONNECTION_TIMEOUT)) {
      anon.start();
      assertThat(anon.blockUntilConnected(3, TimeUnit.SECONDS)).isFalse();
    }
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() throws Exception {
    CertAuthority other = CertAuthority.init(dir.resolve("other-ca"), "other", Duration.ofDays(1));
    other.issue(dir.resolve("mallory"), "coordinator", Role.COORDINATOR, List.of(), Duration.ofDays(1));
    TlsFiles own = TlsFiles.inDir(dir.resolve("mallory"), "coordinator");
    // trusting the real cluster CA (so only the client side is foreign)
    TlsFiles mixed = new TlsFiles(zk.ca.dir().resolve("ca.crt"), own.cert(), own.key());
    try (CuratorFramework m = client(mixed, "mallory")) {
      assertThat(m.blockUntilConnected(3, TimeUnit.SECONDS)).isFalse();
    }
  }

  /**
   * The members' srvr answers over TLS with a coordinator's certificate: one leader and two followers,
   * then the killed member unreachable, then the two left alone: with 2 of 3 still a quorum, both serve.
   */
  @Test
  void writesGoOnWithOneMemberKilledAndTheMemberRejoins() throws Exception {
    var tls = ZkClients.tlsConfig(zk.client("coordinator-probe", Role.COORDINATOR), dir.resolve("private-probe"));
    List<ZkMemberProbe.State> all = ZkMemberProbe.probe(zk.ensemble, tls, Duration.ofSeconds(5));
    assertThat(all).as(all.toString()).extracting(ZkMemberProbe.State::mode)
        .containsExactlyInAnyOrder("leader", "follower", "follower");
    zk.kill(3);
    List<ZkMemberProbe.State> two = ZkMemberProbe.probe(zk.ensemble, tls, Duration.ofSeconds(5));
    assertThat(two.get(2)).as(two.toString()).satisfies(m -> {
      assertThat(m.serving()).isFalse();
      assertThat(m.detail()).startsWith("unreachable");
    });
    coordinator.create().orSetData().forPath("/brickyard/vips/10.0.0.3", "x".getBytes(StandardCharsets.UTF_8));
    assertThat(ZkMemberProbe.probe(zk.ensemble, tls, Duration.ofSeconds(5)).subList(0, 2))
        .allSatisfy(m -> assertThat(m.serving()).isTrue());
    zk.start(3);
    try (CuratorFramework node = client(zk.client("gluster3", Role.NODE), "gluster3-" + System.nanoTime())) {
      assertThat(node.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
      assertThat(node.getData().forPath("/brickyard/vips/10.0.0.3")).asString().isEqualTo("x");
    }
    assertThat(Files.readString(dir.resolve("data1/zoo.cfg"))).contains("secureClientPort=")
        .doesNotContain("\nclientPort=").contains("sslQuorum=true").contains("ssl.clientAuth=need");
  }
}
