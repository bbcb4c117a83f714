package io.brickyard.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import io.brickyard.coordinator.spec.SpecParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaConfigTest {
  @Test
  void theSpecsHaConfigurationSurvivesItsZnodeText() throws Exception {
    ClusterSpec spec = SpecParser.parse("""
        apiVersion: brickyard/v1
        kind: Cluster
        metadata: {name: t}
        nodes:
          - {name: gluster1, address: 10.77.0.11}
          - {name: gluster2, address: 10.77.0.12}
        nfs:
          vips:
            - {address: 10.77.0.201/24, home: gluster1}
            - {address: 10.77.0.202/24, home: gluster2, interface: eth0}
        coordination:
          members:
            - {id: 1, address: 10.77.0.11}
            - {id: 2, address: 10.77.0.12}
            - {id: 3, address: 10.77.0.1}
          failback: manual
          failbackDelay: 12
        """, "t.yaml");
    HaConfig c = HaConfig.of(spec).orElseThrow();
    assertThat(c.vips()).containsExactly(new HaConfig.Vip("10.77.0.201/24", "gluster1", ""),
        new HaConfig.Vip("10.77.0.202/24", "gluster2", "eth0"));
    assertThat(HaConfig.parse(c.bytes())).isEqualTo(c);
    assertThat(c.failback()).isEqualTo(Failback.MANUAL);
    assertThat(c.failbackDelaySeconds()).isEqualTo(12);
    assertThat(c.vips().get(0).ip()).isEqualTo("10.77.0.201");
    assertThat(c.recovery()).isEqualTo(new HaConfig.Recovery("brickyard-nfs-state", "/var/lib/brickyard/nfs-state"));
    // a configuration published before the recovery line existed still parses: no link then
    String old = new String(c.bytes(), java.nio.charset.StandardCharsets.UTF_8).replaceFirst("recovery [^\n]*\n", "");
    assertThat(HaConfig.parse(old.getBytes(java.nio.charset.StandardCharsets.UTF_8)).recovery()).isNull();
    // the spec's defaults (grace 90, lease 60); a configuration without the grace line sends no early grace
    assertThat(c.grace()).isEqualTo(new HaConfig.Grace(90, 60));
    String noGrace = new String(c.bytes(), java.nio.charset.StandardCharsets.UTF_8).replaceFirst("grace [^\n]*\n", "");
    assertThat(HaConfig.parse(noGrace.getBytes(java.nio.charset.StandardCharsets.UTF_8)).grace()).isNull();
  }

  @Test
  void homeFirstThenTheUpNodeWithFewestVips() {
    HaConfig cfg = new HaConfig(List.of("g1", "g2", "g3"), List.of(new HaConfig.Vip("10.0.0.1/24", "g1", "")),
        Failback.AUTO, 30, null, null);
    HaConfig.Vip v = cfg.vips().get(0);
    assertThat(FailoverLeader.choose(cfg, v, Map.of(), Map.of("g1", "up", "g2", "up"))).isEqualTo("g1");
    assertThat(FailoverLeader.choose(cfg, v, Map.of("10.0.0.9", "g2"), Map.of("g1", "down: x", "g2", "up", "g3", "up")))
        .isEqualTo("g3");
    assertThat(FailoverLeader.choose(cfg, v, Map.of(), Map.of("g1", "down: x"))).isNull();
  }
}
