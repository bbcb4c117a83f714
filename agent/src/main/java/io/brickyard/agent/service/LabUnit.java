package io.brickyard.agent.service;

import io.brickyard.agent.dbus.Busctl;
import io.brickyard.agent.dbus.BusctlJson;
import io.brickyard.common.exec.Command;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How the lab backend runs one unit: the program in the foreground (so the agent owns its pid),
 * the directories it needs, and a readiness probe that must succeed before "started" is reported.
 * Mirrors what each package's systemd unit does, minus the daemonizing. {@code readyOutput}, when
 * not null, must also accept the probe's stdout.
 *
 * <p>firewalld's probe reads its {@code state} property over D-Bus with busctl (what
 * {@code firewall-cmd --state} prints from) rather than running firewall-cmd: each firewall-cmd is
 * a Python start-up, and on a slow CPU (the VM tier's TCG guests, docs/vm-tier.md) polling with it
 * every 200 ms competed with the starting firewalld for the CPU: 64 s and not ready, so the 60 s
 * limit failed the recipe's first apply there.
 */
record LabUnit(String name, List<String> argv, List<Path> dirs, Command readyProbe, Path readyPath,
    List<String> requires, Predicate<String> readyOutput) {

  LabUnit(String name, List<String> argv, List<Path> dirs, Command readyProbe, Path readyPath, List<String> requires) {
    this(name, argv, dirs, readyProbe, readyPath, requires, null);
  }

  static final Map<String, LabUnit> UNITS = Map.of(
      "dbus", new LabUnit("dbus", List.of("dbus-daemon", "--system", "--nofork", "--nopidfile"),
          List.of(Path.of("/run/dbus")), null, Path.of("/run/dbus/system_bus_socket"), List.of()),
      "rpcbind", new LabUnit("rpcbind", List.of("rpcbind", "-f", "-w"),
          List.of(Path.of("/run/rpcbind")), Command.of("rpcinfo", "-p", "127.0.0.1"), null, List.of()),
      "firewalld", new LabUnit("firewalld", List.of("firewalld", "--nofork", "--nopid"),
          List.of(Path.of("/run/firewalld"), Path.of("/var/log")),
          Busctl.command("get-property", "org.fedoraproject.FirewallD1", "/org/fedoraproject/FirewallD1",
              "org.fedoraproject.FirewallD1", "state"), null,
          List.of("dbus"), LabUnit::firewalldRunning),
      "glusterd", new LabUnit("glusterd", List.of("glusterd", "-N", "-p", "/run/glusterd.pid"),
          List.of(Path.of("/var/lib/glusterd"), Path.of("/var/log/glusterfs"), Path.of("/run/gluster")),
          Command.of("gluster", "--mode=script", "pool", "list"), null, List.of()),
      "nfs-ganesha", new LabUnit("nfs-ganesha", List.of("ganesha.nfsd", "-F", "-L", "/var/log/ganesha/ganesha.log",
          "-f", "/etc/ganesha/ganesha.conf", "-p", "/run/ganesha.pid"),
          List.of(Path.of("/var/log/ganesha"), Path.of("/var/lib/nfs/ganesha"), Path.of("/run/ganesha")),
          null, null, List.of("dbus", "rpcbind")));

  /** busctl's JSON of the state property says RUNNING (INIT while it loads its rules, FAILED). */
  static boolean firewalldRunning(String busctlJson) {
    try {
      return "RUNNING".equals(BusctlJson.string(busctlJson));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The probe's answer means ready: it succeeded and its output, if that matters, says so. */
  boolean ready(io.brickyard.common.exec.CommandResult probe) {
    return probe.ok() && (readyOutput == null || readyOutput.test(probe.stdout()));
  }

  String program() {
    return argv.get(0);
  }
}
