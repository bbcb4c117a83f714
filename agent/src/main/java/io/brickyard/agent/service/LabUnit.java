package io.brickyard.agent.service;

import io.brickyard.common.exec.Command;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the lab backend runs one unit: the program in the foreground (so the agent owns its pid),
 * the directories it needs, and a readiness probe that must succeed before "started" is reported.
 * Mirrors what each package's systemd unit does, minus the daemonizing.
 */
record LabUnit(String name, List<String> argv, List<Path> dirs, Command readyProbe, Path readyPath,
    List<String> requires) {

  static final Map<String, LabUnit> UNITS = Map.of(
      "dbus", new LabUnit("dbus", List.of("dbus-daemon", "--system", "--nofork", "--nopidfile"),
          List.of(Path.of("/run/dbus")), null, Path.of("/run/dbus/system_bus_socket"), List.of()),
      "rpcbind", new LabUnit("rpcbind", List.of("rpcbind", "-f", "-w"),
          List.of(Path.of("/run/rpcbind")), Command.of("rpcinfo", "-p", "127.0.0.1"), null, List.of()),
      "firewalld", new LabUnit("firewalld", List.of("firewalld", "--nofork", "--nopid"),
          List.of(Path.of("/run/firewalld"), Path.of("/var/log")), Command.of("firewall-cmd", "--state"), null,
          List.of("dbus")),
      "glusterd", new LabUnit("glusterd", List.of("glusterd", "-N", "-p", "/run/glusterd.pid"),
          List.of(Path.of("/var/lib/glusterd"), Path.of("/var/log/glusterfs"), Path.of("/run/gluster")),
          Command.of("gluster", "--mode=script", "pool", "list"), null, List.of()),
      "nfs-ganesha", new LabUnit("nfs-ganesha", List.of("ganesha.nfsd", "-F", "-L", "/var/log/ganesha/ganesha.log",
          "-f", "/etc/ganesha/ganesha.conf", "-p", "/run/ganesha.pid"),
          List.of(Path.of("/var/log/ganesha"), Path.of("/var/lib/nfs/ganesha"), Path.of("/run/ganesha")),
          null, null, List.of("dbus", "rpcbind")));

  String program() {
    return argv.get(0);
  }
}
