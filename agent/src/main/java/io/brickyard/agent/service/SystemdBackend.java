package io.brickyard.agent.service;

import io.brickyard.agent.op.Operation;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** systemctl, read through {@code systemctl show} properties (stable, unlike status text). */
public final class SystemdBackend implements ServiceBackend {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private final CommandRunner runner;

  public SystemdBackend(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public String name() {
    return "systemd";
  }

  @Override
  public ServiceState status(String unit) {
    CommandResult r = runner.run(Command.of("systemctl", "show", "--property=LoadState,ActiveState,SubState,UnitFileState,MainPID", unit + ".service"));
    Map<String, String> p = parseShow(r.stdout());
    return toState(unit, p);
  }

  static ServiceState toState(String unit, Map<String, String> p) {
    boolean installed = !"not-found".equals(p.getOrDefault("LoadState", "not-found"));
    boolean active = "active".equals(p.get("ActiveState"));
    String ufs = p.getOrDefault("UnitFileState", "");
    boolean enabled = ufs.equals("enabled") || ufs.equals("enabled-runtime") || ufs.equals("alias");
    int pid = parseInt(p.get("MainPID"));
    String detail = !installed ? "not installed"
        : p.getOrDefault("ActiveState", "?") + " (" + p.getOrDefault("SubState", "?") + ")"
            + (pid > 0 ? " pid " + pid : "") + ", " + (ufs.isEmpty() ? "?" : ufs);
    return ServiceState.newBuilder().setUnit(unit).setInstalled(installed).setActive(active)
        .setEnabled(enabled).setMainPid(pid).setDetail(detail).build();
  }

  static Map<String, String> parseShow(String out) {
    Map<String, String> m = new HashMap<>();
    for (String line : out.split("\n")) {
      int i = line.indexOf('=');
      if (i > 0) {
        m.put(line.substring(0, i).trim(), line.substring(i + 1).trim());
      }
    }
    return m;
  }

  private static int parseInt(String s) {
    try {
      return s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart) {
    ServiceState s = status(unit);
    if (!s.getInstalled()) {
      throw new IllegalArgumentException("unit " + unit + " is not installed on this node");
    }
    String u = unit + ".service";
    if (enabled && !s.getEnabled()) {
      op.change(Command.of("systemctl", "enable", u).withTimeout(TIMEOUT));
    } else if (!enabled && s.getEnabled()) {
      op.change(Command.of("systemctl", "disable", u).withTimeout(TIMEOUT));
    }
    if (running && (restart && s.getActive())) {
      op.change(Command.of("systemctl", "restart", u).withTimeout(TIMEOUT));
    } else if (running && !s.getActive()) {
      op.change(Command.of("systemctl", "start", u).withTimeout(TIMEOUT));
    } else if (!running && s.getActive()) {
      op.change(Command.of("systemctl", "stop", u).withTimeout(TIMEOUT));
    }
  }
}
