package io.brickyard.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeChoiceTest {
  @Test
  void homeFirstThenTheUpNodeWithFewestVips() {
    HaConfig cfg = new HaConfig(List.of("g1", "g2", "g3"), List.of(new HaConfig.Vip("10.0.0.1/24", "g1", "")),
        Failback.AUTO, 30, null, null, List.of());
    HaConfig.Vip v = cfg.vips().get(0);
    assertThat(NodeChoice.choose(cfg, v, Map.of(), Map.of("g1", "up", "g2", "up"), Set.of())).isEqualTo("g1");
    assertThat(NodeChoice.choose(cfg, v, Map.of("10.0.0.9", "g2"), Map.of("g1", "down: x", "g2", "up", "g3", "up"),
        Set.of())).isEqualTo("g3");
    assertThat(NodeChoice.choose(cfg, v, Map.of(), Map.of("g1", "down: x"), Set.of())).isNull();
  }

  /** A node with a brick of an exported volume offline comes last: home included, and only when nothing else will do. */
  @Test
  void nodesWithABrickOfflineComeLast() {
    HaConfig cfg = new HaConfig(List.of("g1", "g2", "g3"), List.of(new HaConfig.Vip("10.0.0.1/24", "g1", "")),
        Failback.AUTO, 30, null, null, List.of("vol1"));
    HaConfig.Vip v = cfg.vips().get(0);
    Map<String, String> allUp = Map.of("g1", "up", "g2", "up", "g3", "up");
    assertThat(NodeChoice.choose(cfg, v, Map.of(), allUp, Set.of("g1"))).isEqualTo("g2");
    // g3 holds a VIP, g2 none, but g2's brick is offline
    assertThat(NodeChoice.choose(cfg, v, Map.of("10.0.0.9", "g3"), allUp, Set.of("g1", "g2"))).isEqualTo("g3");
    assertThat(NodeChoice.choose(cfg, v, Map.of(), allUp, Set.of("g1", "g2", "g3"))).isEqualTo("g1");
    assertThat(NodeChoice.choose(cfg, v, Map.of("10.0.0.9", "g2"), Map.of("g1", "down: x", "g2", "up", "g3", "up"),
        Set.of("g2", "g3"))).isEqualTo("g3");
  }
}
