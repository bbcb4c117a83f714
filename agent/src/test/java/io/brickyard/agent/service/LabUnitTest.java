package io.brickyard.agent.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.common.exec.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** firewalld's readiness from busctl's real answer (fixtures/busctl, captured from firewalld 1.3.3). */
class LabUnitTest {
  private static final LabUnit FIREWALLD = LabUnit.UNITS.get("firewalld");

  private static String fixture(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/fixtures/busctl", name));
  }

  @Test
  void firewalldIsReadyWhenItsStatePropertySaysRunning() throws Exception {
    assertThat(FIREWALLD.readyProbe().argv()).containsSubsequence("busctl", "get-property", "org.fedoraproject.FirewallD1",
        "/org/fedoraproject/FirewallD1", "org.fedoraproject.FirewallD1", "state");
    String running = fixture("get-property-state.json");
    assertThat(FIREWALLD.ready(new CommandResult(FIREWALLD.readyProbe(), 0, running, "", Duration.ofMillis(3), false))).isTrue();
    // while it loads its rules the property says INIT: the same answer with another value
    String init = running.replace("RUNNING", "INIT");
    assertThat(init).isNotEqualTo(running);
    assertThat(FIREWALLD.ready(new CommandResult(FIREWALLD.readyProbe(), 0, init, "", Duration.ofMillis(3), false))).isFalse();
    assertThat(FIREWALLD.ready(new CommandResult(FIREWALLD.readyProbe(), 1, "", fixture("get-property-state.no-firewalld.stderr"), Duration.ofMillis(3),
        false))).isFalse();
    assertThat(LabUnit.firewalldRunning("not json")).isFalse();
  }

  @Test
  void unitsWithoutAnOutputRuleAreReadyOnExitStatusAlone() {
    LabUnit glusterd = LabUnit.UNITS.get("glusterd");
    assertThat(glusterd.ready(new CommandResult(glusterd.readyProbe(), 0, "whatever", "", Duration.ofMillis(3), false))).isTrue();
    assertThat(glusterd.ready(new CommandResult(glusterd.readyProbe(), 1, "", "Connection failed", Duration.ofMillis(3), false))).isFalse();
  }
}
