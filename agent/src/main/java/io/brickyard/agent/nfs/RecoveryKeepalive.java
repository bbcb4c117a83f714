package io.brickyard.agent.nfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code <store>/keepalive/<node>} every second once this node's recovery store is mounted,
 * so that gluster's client notices a silently lost brick (link down, power loss) before a failover
 * needs the store (docs/ha.md, "Gluster's ping timeout").
 *
 * <p>Why: gluster's client only finds a silent brick dead through a request it is waiting on, after
 * {@code network.ping-timeout}. On an idle store the first request after the loss is the failover's
 * own (ganesha reading the address's client records for grace event 5), 6 s after the loss when the
 * holder's ZooKeeper session expires, and it then waits the whole ping timeout: measured in the lab,
 * 4,964 ms for the first operation on an idle mount against 733 ms with a write every second (2 cores).
 * A write, not a read: a read goes to one brick of a replica, a write to all of them.
 *
 * <p>It writes only while the store's mount point is a mount (its device differs from its parent's):
 * a write into the bare directory would put files under the mount point, and a later mount there is
 * refused ({@code RecoveryStore} refuses non-empty mount points). One daemon thread, started by the
 * first {@link #watch}; a write that blocks delays only the next one.
 */
final class RecoveryKeepalive {
  static final Duration PERIOD = Duration.ofSeconds(1);
  static final String DIR = "keepalive";
  private static final Logger log = LoggerFactory.getLogger(RecoveryKeepalive.class);

  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Path mountPoint;
  private volatile String node;
  private volatile boolean failing;

  /** Keeps the store at {@code mountPoint} (as this process sees it) busy for {@code node}. */
  void watch(Path mountPoint, String node) {
    this.mountPoint = mountPoint;
    this.node = node;
    if (started.compareAndSet(false, true)) {
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recovery-keepalive");
        t.setDaemon(true);
        return t;
      });
      s.scheduleWithFixedDelay(this::beat, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One write; {@code false} when the store is not mounted (nothing written) or the write failed. */
  boolean beat() {
    Path mp = mountPoint;
    if (mp == null) {
      return false;
    }
    try {
      if (!isMount(mp)) {
        return false;
      }
      Path dir = mp.resolve(DIR);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(node), Instant.now() + "\n", StandardCharsets.UTF_8);
      if (failing) {
        log.info("recovery store keepalive at {} writes again", mp);
        failing = false;
      }
      return true;
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        log.warn("recovery store keepalive at {} failed: {}", mp, e.toString());
        failing = true;
      }
      return false;
    }
  }

  static boolean isMount(Path dir) throws IOException {
    if (!Files.isDirectory(dir) || dir.getParent() == null) {
      return false;
    }
    return !Files.getAttribute(dir, "unix:dev").equals(Files.getAttribute(dir.getParent(), "unix:dev"));
  }
}
