package io.brickyard.coordinator.failover;

import io.brickyard.coordinator.Pools;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The takeover links of every possible next holder, kept right while nothing fails, so that a failover
 * does not have to set one when the recovery store may be stalled (docs/ha.md, "Takeover links in
 * advance").
 *
 * <p>Why: the link is a file operation on the recovery volume's FUSE mount. Set at failover time, after
 * the holder's session expired, it waited for gluster to give up on the lost node's brick: in the lab's
 * link-down failover it ran into its 3 s bound before the take could start. But who needs which link
 * is known before anything fails: for each VIP held by H, every other NFS node N will, if it takes the
 * VIP, read H's records, i.e. needs {@code N/<ip> -> ../H}. So the leader ensures those links in the
 * background ({@link FailoverAgents#takeoverLink}, one worker thread, never on the leader's loop), again
 * every {@link #REFRESH} (another apply or a hand edit may have changed one), and a take whose link was
 * seen right within {@link #TRUSTED_FOR} skips the call. A link not yet seen right is set at take time,
 * as before.
 */
final class PresetLinks implements AutoCloseable {
  static final Duration REFRESH = Duration.ofSeconds(30);
  static final Duration TRUSTED_FOR = REFRESH.multipliedBy(2);
  private static final Logger log = LoggerFactory.getLogger(PresetLinks.class);

  private record Key(String node, String ip) {}

  private record Seen(String records, long atMs) {}

  private final FailoverAgents agents;
  private final LongSupplier clock;
  private final Map<Key, Seen> seen = new ConcurrentHashMap<>();
  private final Set<Key> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(Pools.daemon("takeover-links"));

  PresetLinks(FailoverAgents agents, LongSupplier clock) {
    this.agents = agents;
    this.clock = clock;
  }

  /**
   * Queues the links that are missing or due: for each held VIP, on every NFS node that is up and does
   * not hold it, the link to the holder's records. Returns at once.
   */
  void keep(HaConfig cfg, Map<String, String> holders, Map<String, String> health) {
    if (cfg.recovery() == null) {
      return;
    }
    long now = clock.getAsLong();
    for (HaConfig.Vip vip : cfg.vips()) {
      String holder = holders.get(vip.ip());
      if (holder == null) {
        continue;
      }
      for (String node : cfg.nfsNodes()) {
        if (node.equals(holder) || !"up".equals(health.get(node))) {
          continue;
        }
        Key k = new Key(node, vip.ip());
        Seen s = seen.get(k);
        if (s != null && s.records().equals(holder) && now - s.atMs() < REFRESH.toMillis() || !inFlight.add(k)) {
          continue;
        }
        try {
          worker.execute(() -> ensure(k, holder, cfg.recovery()));
        } catch (RejectedExecutionException e) {
          inFlight.remove(k); // closing
        }
      }
    }
  }

  private void ensure(Key k, String records, HaConfig.Recovery recovery) {
    try {
      agents.takeoverLink(k.node(), k.ip(), records, recovery);
      seen.put(k, new Seen(records, clock.getAsLong()));
    } catch (RuntimeException e) {
      seen.remove(k);
      log.info("takeover link {} -> records of {} on {} not kept in advance: {}", k.ip(), records, k.node(),
          e.getMessage());
    } finally {
      inFlight.remove(k);
    }
  }

  /**
   * When the link on {@code node} for {@code ip} was last seen pointing at {@code records}' records, if
   * within {@link #TRUSTED_FOR}: the take may skip setting it.
   */
  OptionalLong seenRight(String node, String ip, String records) {
    Seen s = seen.get(new Key(node, ip));
    return s != null && s.records().equals(records) && clock.getAsLong() - s.atMs() < TRUSTED_FOR.toMillis()
        ? OptionalLong.of(s.atMs()) : OptionalLong.empty();
  }

  /** Set by the take itself (or found right by it). */
  void record(String node, String ip, String records) {
    seen.put(new Key(node, ip), new Seen(records, clock.getAsLong()));
  }

  @Override
  public void close() throws InterruptedException {
    worker.shutdownNow();
    worker.awaitTermination(5, TimeUnit.SECONDS);
  }
}
