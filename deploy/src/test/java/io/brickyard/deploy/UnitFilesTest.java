package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's unit must not sandbox: its mounts have to land in the host's mount namespace and it
 * must see every disk. These tests read the real unit files and the RPM spec that installs them.
 */
class UnitFilesTest {
  /** Directives that create a private mount namespace, hide devices or block mount/format syscalls. */
  static final Set<String> FORBIDDEN_FOR_AGENT = Set.of(
      "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "PrivateMounts", "PrivateNetwork",
      "PrivateUsers", "DynamicUser", "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths",
      "NoExecPaths", "TemporaryFileSystem", "BindPaths", "BindReadOnlyPaths", "MountFlags", "MountAPIVFS",
      "RootDirectory", "RootImage", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
      "ProtectControlGroups", "ProtectProc", "ProcSubset", "ProtectClock", "DevicePolicy", "DeviceAllow",
      "CapabilityBoundingSet", "SystemCallFilter", "RestrictFileSystems", "RestrictNamespaces");

  @Test
  void agentUnitHasNoSandboxingDirective() {
    List<String> found = new ArrayList<>();
    for (String key : directives("brickyard-agent.service")) {
      if (FORBIDDEN_FOR_AGENT.contains(key)) {
        found.add(key);
      }
    }
    assertThat(found).as("sandboxing directives in brickyard-agent.service").isEmpty();
  }

  @Test
  void agentUnitRunsAsRootWithSysconfigFlagsAndRestart() {
    String unit = DeployFiles.read("systemd/brickyard-agent.service");
    assertThat(values(unit, "User")).containsExactly("root");
    assertThat(values(unit, "EnvironmentFile"))
        .contains("-/etc/sysconfig/brickyard-agent", "-/etc/default/brickyard-agent");
    assertThat(values(unit, "Restart")).containsExactly("on-failure");
    assertThat(String.join(" ", values(unit, "After"))).contains("network-online.target");
    assertThat(values(unit, "ExecStart")).singleElement().asString()
        .contains("$BRICKYARD_AGENT_JAVA_OPTS").contains("-jar /usr/share/brickyard/brickyard-agent.jar");
  }

  /** Its quorum connections must be ones firewalld's conntrack saw open (docs/ha.md). */
  @Test
  void zookeeperMemberStartsAfterTheFirewall() {
    String unit = DeployFiles.read("systemd/brickyard-zookeeper.service");
    assertThat(String.join(" ", values(unit, "After"))).contains("network-online.target", "firewalld.service");
  }

  @Test
  void coordinatorUnitRunsAsTheUserTheSpecCreates() {
    String unit = DeployFiles.read("systemd/brickyard-coordinator.service");
    assertThat(values(unit, "User")).containsExactly("brickyard");
    assertThat(DeployFiles.read("rpm/brickyard.spec")).contains("useradd -r -g brickyard");
    assertThat(values(unit, "ExecStart")).singleElement().asString()
        .contains("$BRICKYARD_COORDINATOR_JAVA_OPTS").contains("-jar /usr/share/brickyard/brickyard-coordinator.jar");
  }

  @Test
  void specInstallsEveryDeploymentFile() throws Exception {
    String spec = DeployFiles.read("rpm/brickyard.spec");
    List<String> missing = new ArrayList<>();
    for (String sub : List.of("systemd", "sysconfig", "firewalld", "libexec", "bin", "prometheus", "grafana")) {
      try (var files = java.nio.file.Files.list(DeployFiles.dir().resolve(sub))) {
        files.map(p -> "deploy/" + sub + "/" + p.getFileName()).filter(f -> !spec.contains(f)).forEach(missing::add);
      }
    }
    assertThat(missing).as("files under deploy/ the spec does not install").isEmpty();
  }

  static List<String> directives(String unitFile) {
    List<String> keys = new ArrayList<>();
    for (String line : DeployFiles.read("systemd/" + unitFile).split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith(";") && !l.startsWith("[") && l.contains("=")) {
        keys.add(l.substring(0, l.indexOf('=')).strip());
      }
    }
    return keys;
  }

  static List<String> values(String unit, String key) {
    List<String> v = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(unit);
    while (m.find()) {
      v.add(m.group(1).strip());
    }
    return v;
  }
}
