package io.brickyard.agent;

import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.common.exec.CommandRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/**
 * What every capability needs from the agent: the command runner, the service backend (systemd or
 * lab), the node-local file locations (overridable so tests can point fstab at a temp file) and
 * the metrics registry.
 */
public record AgentContext(CommandRunner runner, ServiceBackend services, Paths paths, MeterRegistry metrics) {

  /** Files the agent edits or keeps. Defaults are the real system locations. */
  public record Paths(Path fstab, Path stateDir) {
    public static Paths system() {
      return new Paths(Path.of("/etc/fstab"), Path.of("/var/lib/brickyard"));
    }

    /** {@code /etc/fstab.brickyard.bak}: the copy kept before every fstab edit. */
    public Path fstabBackup() {
      return fstab.resolveSibling(fstab.getFileName() + ".brickyard.bak");
    }
  }
}
