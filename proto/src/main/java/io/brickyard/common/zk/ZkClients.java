package io.brickyard.common.zk;

import io.brickyard.common.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * Curator clients for agents and coordinators: TLS with the process's own certificate (the members
 * serve TLS only and demand a client certificate), the session timeout of docs/ha.md, and Brickyard's
 * ACL on every znode created. The client's settings are per client ({@link ZKClientConfig}), never
 * JVM system properties, so two clients in one JVM (tests) cannot leak settings into each other.
 */
public final class ZkClients {
  /** docs/ha.md, "Timeouts": the order release-before-expiry holds for these. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

  private ZkClients() {}

  /** The client settings for TLS with {@code tls}; the combined key store goes into {@code privateDir}. */
  public static ZKClientConfig tlsConfig(TlsFiles tls, Path privateDir) throws IOException {
    Path keyStore = ZkPem.keyStore(tls, privateDir);
    ZKClientConfig c = new ZKClientConfig();
    try (ClientX509Util x = new ClientX509Util()) {
      c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
      c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
      c.setProperty(x.getSslKeystoreLocationProperty(), keyStore.toString());
      c.setProperty(x.getSslKeystoreTypeProperty(), "PEM");
      c.setProperty(x.getSslTruststoreLocationProperty(), tls.caCert().toString());
      c.setProperty(x.getSslTruststoreTypeProperty(), "PEM");
      c.setProperty(x.getSslHostnameVerificationEnabledProperty(), "true");
    }
    return c;
  }

  /** A started-later Curator client ({@link CuratorFramework#start()} is the caller's). */
  public static CuratorFramework curator(String connectString, ZKClientConfig config, Duration session,
      Duration connection) {
    return CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .zkClientConfig(config)
        .sessionTimeoutMs((int) session.toMillis())
        .connectionTimeoutMs((int) connection.toMillis())
        .retryPolicy(new ExponentialBackoffRetry(100, 5, 1000))
        .aclProvider(ZkAcls.provider())
        .build();
  }

  /**
   * Creates {@code /brickyard} and tightens the root znode's ACL to Brickyard's (ZooKeeper's default is
   * world:anyone ALL, which would let any certificate holder delete an empty {@code /brickyard} and make
   * its own). Idempotent; only coordinator and agent certificates can do it.
   */
  public static void ensureSchema(CuratorFramework c, String... paths) throws Exception {
    List<ACL> want = ZkAcls.brickyard();
    // Coordinators start together (lab up --ha starts two at once) and all get here as soon as the
    // ensemble forms: another one may set the ACL between this read and this write. The write is
    // conditional on the ACL version read; on BadVersion read again (it is then usually Brickyard's).
    // Without this the loser's start failed, and its coordinator exited before serving.
    for (int attempt = 0; ; attempt++) {
      Stat st = new Stat();
      List<ACL> rootAcl = c.getACL().storingStatIn(st).forPath("/");
      if (rootAcl.equals(want)) {
        break;
      }
      try {
        c.setACL().withVersion(st.getAversion()).withACL(want).forPath("/");
        break;
      } catch (KeeperException.BadVersionException e) {
        if (attempt >= 10) {
          throw e;
        }
      }
    }
    for (String p : paths) {
      try {
        c.create().creatingParentsIfNeeded().forPath(p);
      } catch (KeeperException.NodeExistsException e) {
        // there already
      }
    }
  }
}
