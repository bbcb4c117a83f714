package io.brickyard.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import io.brickyard.coordinator.spec.SpecParser;
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
        storage:
          defaults:
            - {device: /dev/sdb, mountPoint: /gluster/b1}
        volumes:
          - {name: vol1, type: distribute, bricks: ["gluster1:/gluster/b1/vol1"]}
          - {name: vol2, type: distribute, bricks: ["gluster2:/gluster/b1/vol2"]}
        nfs:
          exports:
            - {volume: vol1}
            - {volume: vol2, pseudo: /other}
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
    assertThat(c.exportedVolumes()).containsExactly("vol1", "vol2");
    String noGrace = new String(c.bytes(), java.nio.charset.StandardCharsets.UTF_8).replaceFirst("grace [^\n]*\n", "");
    assertThat(HaConfig.parse(noGrace.getBytes(java.nio.charset.StandardCharsets.UTF_8)).grace()).isNull();
  }
}
