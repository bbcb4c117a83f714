package io.brickyard.agent.service;

import io.brickyard.agent.op.Operation;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.CommandRunner;
import java.nio.file.Path;

/**
 * How the agent starts, stops and inspects a unit. Real nodes use {@link SystemdBackend}. The lab,
 * whose hosts are namespaces without systemd as PID 1, uses {@link LabServiceBackend}: the agent
 * itself supervises the daemon in the foreground. Both are real: nothing is faked.
 */
public interface ServiceBackend {
  String name();

  ServiceState status(String unit);

  /** Check-then-act: start/stop/enable/disable/restart as needed, recorded on {@code op}. */
  void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart);

  static ServiceBackend named(String name, CommandRunner runner) {
    return switch (name) {
      case "systemd" -> new SystemdBackend(runner);
      case "lab" -> new LabServiceBackend(runner, Path.of("/run/brickyard/lab-units"),
          Path.of("/var/lib/brickyard/lab-units"), Path.of("/var/log/brickyard"));
      default -> throw new IllegalArgumentException("unknown service backend '" + name
          + "': expected systemd or lab");
    };
  }
}
