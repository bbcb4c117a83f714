package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.AgentMain;
import io.brickyard.coordinator.CoordinatorMain;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sysconfig files are the daemons' configuration surface: every variable in them must be read
 * by the daemon (its picocli {@code ${env:...}} defaults), by the unit's command lines or by the
 * AppCDS helper, every variable the daemon reads must be documented there, and the values written
 * there must be the daemon's real defaults (so installing the file changes nothing by surprise).
 */
class SysconfigTest {
  private static final Pattern SHELL_VAR = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)");

  @Test
  void agentSysconfigMatchesWhatTheAgentAndItsUnitRead() {
    check("brickyard-agent", AgentMain.class, "brickyard-agent.service", DeployFiles.read("libexec/brickyard-agent-cds"));
  }

  @Test
  void coordinatorSysconfigMatchesWhatTheCoordinatorAndItsUnitRead() {
    check("brickyard-coordinator", CoordinatorMain.class, "brickyard-coordinator.service", "");
  }

  private static void check(String name, Class<?> daemon, String unitFile, String helperScript) {
    Map<String, String> file = DeployFiles.sysconfig(name);
    Map<String, String> daemonEnv = DeployFiles.envDefaults(daemon);
    String unit = DeployFiles.read("systemd/" + unitFile);
    Set<String> unitReads = vars(UnitFilesTest.values(unit, "ExecStart") + " " + UnitFilesTest.values(unit, "ExecStartPre"));
    Set<String> unitSets = new LinkedHashSet<>();
    for (String e : UnitFilesTest.values(unit, "Environment")) {
      unitSets.add(e.substring(0, e.indexOf('=')));
    }
    Set<String> helperReads = vars(helperScript);

    assertThat(daemonEnv).as(daemon.getSimpleName() + " reads environment variables").isNotEmpty();
    assertThat(file.keySet()).as("every variable the daemon reads is in sysconfig/" + name)
        .containsAll(daemonEnv.keySet());
    for (String var : file.keySet()) {
      assertThat(daemonEnv.containsKey(var) || unitReads.contains(var) || helperReads.contains(var))
          .as(var + " in sysconfig/" + name + " is read by the daemon, its unit or its helper").isTrue();
    }
    for (Map.Entry<String, String> e : daemonEnv.entrySet()) {
      assertThat(file.get(e.getKey())).as(e.getKey() + " = the daemon's built-in default").isEqualTo(e.getValue());
    }
    for (String var : unitReads) {
      assertThat(file.containsKey(var) || unitSets.contains(var))
          .as(unitFile + " uses $" + var + ", which sysconfig/" + name + " or the unit defines").isTrue();
    }
  }

  private static Set<String> vars(String text) {
    Set<String> v = new LinkedHashSet<>();
    Matcher m = SHELL_VAR.matcher(text);
    while (m.find()) {
      v.add(m.group(1));
    }
    return v;
  }
}
