package io.brickyard.coordinator.failover;

import io.brickyard.api.coordinator.v1.Failover;
import io.brickyard.coordinator.Pools;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Grace on the likely next holder of a VIP before its present holder's session expires (docs/ha.md,
 * "Early grace").
 *
 * <p>Why: ganesha restarts its grace timer at every grace event (its {@code nfs_start_grace} reads the
 * clock before it looks whether grace is already on), so a new client's first read comes one full grace
 * period after the last event. Sent at the take, that is after the lost holder's ZooKeeper session has
 * expired, 5-6 s after a link or node loss with 6 s sessions: 16-17 s to a first read with a 10 s grace,
 * against issue 11's grace + 3 s. From outside the loss shows sooner: a held VIP whose NFS port stops
 * accepting connections ({@link NfsPortProbe}, every {@link #PROBE_PERIOD}, {@link #FAILURES_TO_SUSPECT}
 * failures running) is suspected about a second after the fault. The leader then sends grace 5 for the
 * address to the node it would choose were the VIP free, its takeover link set first (ganesha reads the
 * address's client records at the event), on a thread of its own ({@link #send}): ganesha answers only
 * once its in-flight requests are done, seconds when they wait for a lost brick. When the session does
 * expire and the leader takes the VIP to that node, the take waits for that answer if it is still due and
 * sends no second event as long as the early grace has at least one lease left to run
 * ({@link Sent#covers}): every moved client then has at least a lease, within which it renews and so
 * finds the new server, to reclaim. Otherwise the take sends grace 5 as always. A second early grace is
 * never sent within a grace period, not even after a failed one: an event whose answer came too late may
 * still have reached ganesha, and another would restart its timer.
 *
 * <p>What a wrong suspicion costs (the leader's own path to the VIP broken, the holder fine): grace 5
 * moves no address, takes no znode and touches nothing of the holder, so only the chosen node's new
 * clients wait one grace period (its open files go on), at most once per grace period per VIP. A VIP
 * that answers again after its early grace is no longer covered by it: clients that reached the holder
 * since are not in what the survivor read, so its take sends grace 5 again. A VIP never seen answering
 * (the leader's host cannot reach its port 2049, say a firewall open only to the exports' clients) is
 * never suspected: early grace is then off for it, and {@code brickyard_vip_answering} shows 0.
 */
final class EarlyGrace implements AutoCloseable {
  static final Duration PROBE_PERIOD = Duration.ofMillis(250);
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);
  static final int FAILURES_TO_SUSPECT = 2;

  /** What the probes found of one held VIP since its present holder took it. */
  private record Watch(String holder, boolean answered, int failures, long suspectedAtMs, long lastAnswerMs) {
    Watch after(boolean ok, long now) {
      if (ok) {
        return new Watch(holder, true, 0, 0, now);
      }
      int f = failures + 1;
      boolean suspect = answered && f >= FAILURES_TO_SUSPECT && suspectedAtMs == 0;
      return new Watch(holder, answered, f, suspect ? now : suspectedAtMs, lastAnswerMs);
    }
  }

  /**
   * Grace 5 sent early for a VIP held by {@code holder}: to {@code node}, answered at {@code atMs};
   * {@code record} is the start of the failover's journal record (suspicion, link, early grace).
   */
  record Sent(String holder, String node, long atMs, Failover.Builder record) {
    /** Whether a take to {@code target} at {@code now} may skip its own grace 5. */
    boolean covers(String target, long now, HaConfig.Grace grace) {
      return grace != null && node.equals(target)
          && atMs + grace.periodSeconds() * 1000L - now >= grace.leaseSeconds() * 1000L;
    }
  }

  private final NfsPortProbe probe;
  private final LongSupplier clock;
  private final Runnable onSuspicion;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  /**
   * When an early grace was last started for each VIP: one per grace period, a failed one included (a
   * grace event whose answer did not come in time may still reach ganesha, and a second one would
   * restart its grace timer: seen in the lab, a first read 4 s later).
   */
  private final Map<String, Long> lastTriedMs = new ConcurrentHashMap<>();
  /** The early grace being sent for each VIP (link, then grace 5), on {@link #sender}, never on the leader's loop. */
  private final Map<String, Future<?>> sending = new ConcurrentHashMap<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(Pools.daemon("early-grace"));
  private final Set<String> probing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Pools.daemon("vip-probe-tick"));
  private final ExecutorService probes = Executors.newCachedThreadPool(Pools.daemon("vip-probe"));

  EarlyGrace(NfsPortProbe probe, LongSupplier clock, Runnable onSuspicion) {
    this.probe = probe;
    this.clock = clock;
    this.onSuspicion = onSuspicion;
  }

  void start() {
    ticker.scheduleWithFixedDelay(this::probeAll, 0, PROBE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The VIPs to probe and their holders now (the leader's view; empty on a standby). A VIP with a new
   * holder starts afresh; an early grace sent for it stays until {@link #takeSent} or the VIP answers.
   */
  void watch(Map<String, String> holders) {
    watches.keySet().retainAll(holders.keySet());
    holders.forEach((ip, holder) -> watches.compute(ip,
        (k, w) -> w != null && w.holder().equals(holder) ? w : new Watch(holder, false, 0, 0, 0)));
  }

  /** Each watched VIP's answer as last probed: true when it accepted the connection. */
  Map<String, Boolean> answering() {
    Map<String, Boolean> out = new TreeMap<>();
    watches.forEach((ip, w) -> out.put(ip, w.answered() && w.failures() == 0));
    return out;
  }

  /** When {@code ip}, held by {@code holder}, was suspected; 0 when it is not. */
  long suspectedAt(String ip, String holder) {
    Watch w = watches.get(ip);
    return w != null && w.holder().equals(holder) ? w.suspectedAtMs() : 0;
  }

  /** Whether an early grace should go out for {@code ip} now: suspected, none sent or started in a grace period. */
  boolean due(String ip, String holder, HaConfig.Grace grace) {
    if (grace == null || suspectedAt(ip, holder) == 0 || sent.containsKey(ip)) {
      return false;
    }
    Long tried = lastTriedMs.get(ip);
    return tried == null || clock.getAsLong() - tried >= grace.periodSeconds() * 1000L;
  }

  /** Starts {@code send} (the link, grace 5, then {@link #sent}) for {@code ip} on this class's own thread. */
  void send(String ip, Runnable send) {
    lastTriedMs.put(ip, clock.getAsLong());
    try {
      sending.put(ip, sender.submit(send));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /**
   * Grace 5 was answered for {@code ip}: kept for its take, unless the address answered again since
   * {@code startedMs} (clients that reached the holder since are not in what the next holder read).
   */
  void sent(String ip, Sent s, long startedMs) {
    Watch w = watches.get(ip);
    if (w == null || !w.holder().equals(s.holder()) || w.lastAnswerMs() <= startedMs) {
      sent.put(ip, s);
    }
  }

  /**
   * The early grace answered for {@code ip}, if any, removed: the take decides what it still covers. One
   * still being sent is waited for, at most {@code wait}: a take that sent its own grace 5 meanwhile would
   * restart ganesha's grace timer.
   */
  Optional<Sent> takeSent(String ip, Duration wait) {
    Future<?> f = sending.remove(ip);
    if (f != null) {
      try {
        f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        // not answered in time, or failed: the take sends grace 5 itself
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Optional.ofNullable(sent.remove(ip));
  }

  private void probeAll() {
    watches.forEach((ip, w) -> {
      if (!probing.add(ip)) {
        return; // the last probe still waits for its timeout
      }
      try {
        probes.execute(() -> {
          try {
            record(ip, w.holder(), probe.answers(ip));
          } finally {
            probing.remove(ip);
          }
        });
      } catch (RejectedExecutionException e) {
        probing.remove(ip); // closing
      }
    });
  }

  private void record(String ip, String holder, boolean ok) {
    long now = clock.getAsLong();
    boolean[] becameSuspect = {false};
    watches.computeIfPresent(ip, (k, w) -> {
      if (!w.holder().equals(holder)) {
        return w; // probed under a holder that has since changed
      }
      Watch next = w.after(ok, now);
      becameSuspect[0] = w.suspectedAtMs() == 0 && next.suspectedAtMs() != 0;
      return next;
    });
    if (ok) {
      sent.computeIfPresent(ip, (k, s) -> s.holder().equals(holder) ? null : s);
    } else if (becameSuspect[0]) {
      onSuspicion.run();
    }
  }

  @Override
  public void close() throws InterruptedException {
    sender.shutdownNow();
    ticker.shutdownNow();
    probes.shutdownNow();
    probes.awaitTermination(PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
  }
}
