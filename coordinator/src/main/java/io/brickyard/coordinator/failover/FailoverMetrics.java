package io.brickyard.coordinator.failover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code brickyard_failovers_total{reason}}, {@code brickyard_failover_duration_seconds} (a histogram:
 * detected to the address added on the new holder), {@code brickyard_vip_holder{vip,node}} = 1 for each VIP's holder now, as
 * the leader sees it in ZooKeeper, {@code brickyard_vip_answering{vip}} (1 when the VIP's NFS port accepted the leader's
 * last probe), {@code brickyard_early_graces_total} ({@link EarlyGrace}) and {@code brickyard_node_bricks_offline{node}}
 * (each NFS node's bricks of exported volumes that gluster says are offline, {@link BrickHealth}).
 */
final class FailoverMetrics {
  private final MeterRegistry registry;
  private final Timer duration;
  private final MultiGauge holders;
  private final MultiGauge answering;
  private final Counter earlyGraces;
  private final MultiGauge bricksOffline;

  FailoverMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration = Timer.builder("brickyard.failover.duration")
        .description("From a VIP found free (or a failback due) to its address added on the new holder")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
        .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    this.holders = MultiGauge.builder("brickyard.vip.holder")
        .description("1 for the node holding each VIP (its ZooKeeper znode)").register(registry);
    this.answering = MultiGauge.builder("brickyard.vip.answering")
        .description("1 when the VIP's NFS port accepted the leader's last probe; 0 while it does not (early grace needs 1"
            + " before a fault)").register(registry);
    this.earlyGraces = Counter.builder("brickyard.early.graces")
        .description("Grace 5 sent to a VIP's likely next holder once its NFS port stopped answering, before the take")
        .register(registry);
    REASONS.forEach(this::failovers);
    this.bricksOffline = MultiGauge.builder("brickyard.node.bricks.offline")
        .description("Bricks of exported volumes on the NFS node that gluster says are offline (the leader's last read;"
            + " such a node is chosen for a VIP only when no other will do)").register(registry);
  }

  /** Why the leader assigned a VIP (Failover.reason, the counter's {@code reason}). */
  static final String INITIAL = "initial";
  static final String HOLDER_LOST = "holder lost";
  static final String FAILBACK = "failback";
  /** Every reason, counted from 0: Prometheus's {@code increase()} misses a counter's first sample. */
  static final List<String> REASONS = List.of(INITIAL, HOLDER_LOST, FAILBACK);

  void failover(String reason, Duration took) {
    failovers(reason).increment();
    duration.record(took);
  }

  private Counter failovers(String reason) {
    return Counter.builder("brickyard.failovers").description("VIPs assigned by the coordinator leader")
        .tag("reason", reason).register(registry);
  }

  void holders(Map<String, String> vipToNode) {
    holders.register(vipToNode.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("vip", e.getKey(), "node", e.getValue()), 1))
        .map(r -> (MultiGauge.Row<?>) r).toList(), true);
  }

  void answering(Map<String, Boolean> vipAnswers) {
    answering.register(vipAnswers.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("vip", e.getKey()), e.getValue() ? 1 : 0))
        .map(r -> (MultiGauge.Row<?>) r).toList(), true);
  }

  /** One row per NFS node: its offline bricks' count, 0 when none (or no fresh read). */
  void bricksOffline(List<String> nfsNodes, Map<String, List<String>> offline) {
    bricksOffline.register(nfsNodes.stream()
        .map(n -> MultiGauge.Row.of(Tags.of("node", n), offline.getOrDefault(n, List.of()).size()))
        .map(r -> (MultiGauge.Row<?>) r).toList(), true);
  }

  void earlyGrace() {
    earlyGraces.increment();
  }

  Timer durationTimer() {
    return duration;
  }

  static List<String> names() {
    return List.of("brickyard_failovers_total", "brickyard_failover_duration_seconds", "brickyard_vip_holder",
        "brickyard_vip_answering", "brickyard_early_graces_total", "brickyard_node_bricks_offline");
  }
}
