package io.brickyard.coordinator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import org.junit.jupiter.api.Test;

class CoordinationSpecTest {
  private static final String HEAD = "apiVersion: brickyard/v1\nkind: Cluster\nmetadata:\n  name: t\n"
      + "nodes:\n  - name: gluster1\n  - name: gluster2\n";

  @Test
  void defaultsAreAppliedAndMemberOrderDoesNotChangeTheCanonicalForm() throws SpecException {
    ClusterSpec a = SpecParser.parse(HEAD + "coordination:\n  members:\n"
        + "    - {id: 1, address: 10.77.0.11}\n    - {id: 2, address: 10.77.0.12}\n    - {id: 3, address: 10.77.0.1}\n",
        "a.yaml");
    ClusterSpec b = SpecParser.parse(HEAD + "coordination:\n  failback: auto\n  failbackDelay: 30\n"
        + "  sessionTimeout: 6\n  members:\n"
        + "    - {id: 3, address: 10.77.0.1}\n    - {id: 2, address: 10.77.0.12}\n    - {id: 1, address: 10.77.0.11}\n",
        "b.yaml");
    CoordinationSpec c = a.coordination().orElseThrow();
    assertThat(c.sessionTimeoutSeconds()).isEqualTo(6);
    assertThat(c.failback()).isEqualTo(Failback.AUTO);
    assertThat(c.failbackDelaySeconds()).isEqualTo(30);
    assertThat(c.membersText()).isEqualTo("1=10.77.0.11,2=10.77.0.12,3=10.77.0.1");
    assertThat(a.sha256()).isEqualTo(b.sha256());
    assertThat(a.canonicalText()).contains("coordination:").contains("failback: auto");
  }

  @Test
  void aSpecWithoutTheSectionKeepsItsCanonicalForm() throws SpecException {
    ClusterSpec plain = SpecParser.parse(HEAD, "p.yaml");
    assertThat(plain.coordination()).isEmpty();
    assertThat(plain.canonicalText()).doesNotContain("coordination");
    ClusterSpec manual = SpecParser.parse(HEAD + "coordination:\n  failback: manual\n  members:\n"
        + "    - {id: 1, address: 10.77.0.11}\n    - {id: 2, address: 10.77.0.12}\n    - {id: 3, address: 10.77.0.1}\n",
        "m.yaml");
    assertThat(manual.sha256()).isNotEqualTo(plain.sha256());
    assertThat(manual.coordination().orElseThrow().failback()).isEqualTo(Failback.MANUAL);
  }
}
