package io.brickyard.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.common.zk.ZkClients;
import io.brickyard.common.zk.ZkMemberConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VIP ownership on a real link (VipLab's namespaces, the real ip and arping) and a real ZooKeeper
 * server: node a holds the VIP, then is cut off from ZooKeeper only (its connection frozen: no reset),
 * and node b keeps trying to take it, as the leader would. A sampler reads {@code ip -o addr} in both
 * namespaces every 20 ms and records any sample with the address on both. Run as root under the lab
 * lock: {@code flock /tmp/brickyard-lab.lock mvn -o -B -Pe2e -pl agent -am test -Dtest=VipOwnershipLabTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("lab")
class VipOwnershipLabTest {
  @TempDir Path dir;
  private VipLab lab;
  private TestingServer server;
  private FreezableProxy proxyA;
  private VipOwnership a;
  private VipOwnership b;

  @BeforeEach
  void start() throws Exception {
    lab = new VipLab().start();
    server = new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, 1,
        (int) ZkMemberConfig.TICK.toMillis(), -1), true);
    proxyA = new FreezableProxy(server.getPort());
    a = new VipOwnership(client("127.0.0.1:" + proxyA.port()), "a", VipLink.real(lab.a().runner()), (e, x) -> { },
        e -> { });
    b = new VipOwnership(client(server.getConnectString()), "b", VipLink.real(lab.b().runner()), (e, x) -> { },
        e -> { });
    a.start();
    b.start();
    waitFor(() -> a.connected() && b.connected(), 10_000);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    proxyA.close();
    server.close();
    lab.close();
  }

  private static CuratorFramework client(String connect) {
    return CuratorFrameworkFactory.builder().connectString(connect)
        .sessionTimeoutMs((int) ZkClients.SESSION_TIMEOUT.toMillis())
        .connectionTimeoutMs((int) ZkClients.CONNECTION_TIMEOUT.toMillis())
        .retryPolicy(new ExponentialBackoffRetry(100, 5, 1000)).build();
  }

  private static EnsureVipPresentRequest vip() {
    return EnsureVipPresentRequest.newBuilder().setAddress(VipLab.VIP + "/24").build();
  }

  /** Samples both hosts; the result lists the samples where both held the address. */
  private final class Sampler implements AutoCloseable {
    final List<String> both = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong aGone = new AtomicLong();
    final AtomicLong bHas = new AtomicLong();
    final AtomicBoolean run = new AtomicBoolean(true);
    final Thread t = new Thread(() -> {
      while (run.get()) {
        boolean ha = lab.holds(lab.a(), VipLab.VIP);
        boolean hb = lab.holds(lab.b(), VipLab.VIP);
        long now = System.nanoTime();
        if (ha && hb) {
          both.add("both at " + now);
        }
        if (!ha) {
          aGone.compareAndSet(0, now);
        }
        if (hb) {
          bHas.compareAndSet(0, now);
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "holder-sampler");

    Sampler start() {
      t.start();
      return this;
    }

    @Override
    public void close() throws InterruptedException {
      run.set(false);
      t.join();
    }
  }

  @Test
  void cutOffFromZooKeeperTheHolderDropsTheAddressBeforeTheOtherNodeCanTakeIt() throws Exception {
    a.take(vip(), false);
    assertThat(lab.holds(lab.a(), VipLab.VIP)).isTrue();
    assertThat(lab.clientPings(VipLab.VIP)).isTrue();
    long t0;
    try (Sampler s = new Sampler().start()) {
      t0 = System.nanoTime();
      proxyA.freeze(true);
      // the leader's part: keep asking b until ZooKeeper lets it
      waitFor(() -> {
        try {
          b.take(vip(), false);
          return true;
        } catch (RuntimeException e) {
          return false;
        }
      }, 20_000);
      waitFor(() -> s.bHas.get() != 0, 5_000);
      Thread.sleep(200);
      s.close();
      long goneMs = (s.aGone.get() - t0) / 1_000_000;
      long takenMs = (s.bHas.get() - t0) / 1_000_000;
      System.out.printf("lab partition: address gone from a after %d ms, on b after %d ms; samples with both: %d%n",
          goneMs, takenMs, s.both.size());
      assertThat(s.both).isEmpty();
      assertThat(goneMs).isLessThan(takenMs);
      assertThat(takenMs).isLessThan(ZkClients.SESSION_TIMEOUT.toMillis() + 2000);
    }
    assertThat(lab.clientPings(VipLab.VIP)).isTrue();
    assertThat(lab.clientNeighbour(VipLab.VIP)).isEqualTo(lab.b().mac());
    proxyA.freeze(false);
    waitFor(a::connected, 15_000);
    Thread.sleep(500);
    assertThat(lab.holds(lab.a(), VipLab.VIP)).isFalse();
  }

  @Test
  void ganeshaDownOnTheHolderFreesTheAddressAtOnce() throws Exception {
    a.take(vip(), false);
    try (Sampler s = new Sampler().start()) {
      long t0 = System.nanoTime();
      a.checkGanesha(GaneshaHealth.newBuilder().setUp(false).setDetail("ganesha is not on the system bus").build());
      b.take(vip(), false);
      waitFor(() -> s.bHas.get() != 0, 5_000);
      s.close();
      System.out.printf("lab ganesha down: address on b after %d ms; samples with both: %d%n",
          (s.bHas.get() - t0) / 1_000_000, s.both.size());
      assertThat(s.both).isEmpty();
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(20);
    }
  }
}
