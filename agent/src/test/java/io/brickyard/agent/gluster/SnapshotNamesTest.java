package io.brickyard.agent.gluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Snapshot names and descriptions are checked before anything reaches the gluster CLI. */
class SnapshotNamesTest {
  @Test
  void glustersNameRulePlusNoLeadingDash() {
    assertThat(GlusterNames.snapshot("name", "vol1_hourly_20261201-190000")).isEqualTo("vol1_hourly_20261201-190000");
    assertThat(GlusterNames.snapshot("name", "x".repeat(255))).hasSize(255);
    for (String bad : new String[] {"", "-snap", "--help", "a/b", "a b", "snap.1", "x".repeat(256), "all", "volume",
        "description", "force", "no-timestamp"}) {
      assertThatThrownBy(() -> GlusterNames.snapshot("name", bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("name: ");
    }
  }

  @Test
  void descriptionsAreOneLineOfAtMost1024() {
    assertThat(GlusterNames.description("description", "")).isEmpty();
    assertThat(GlusterNames.description("description", "before the upgrade to 10.4")).isEqualTo("before the upgrade to 10.4");
    for (String bad : new String[] {"two\nlines", "tab\there", "-x", "x".repeat(1025)}) {
      assertThatThrownBy(() -> GlusterNames.description("description", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
