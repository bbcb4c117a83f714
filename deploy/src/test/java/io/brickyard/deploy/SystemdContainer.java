package io.brickyard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away machine booted by the real systemd (Debian 12: systemd 252) as PID 1 of a
 * systemd-nspawn container, whose root is this host's own tree under a writable overlay in RAM:
 * every package the host has is there, nothing written inside reaches the host.
 *
 * <ul>
 *   <li>{@code overlay(lower=/, upper+work on a private tmpfs)} mounted at DIR/root: nspawn refuses
 *       {@code -D /} without --volatile, and --volatile=yes starts from an empty /etc (no
 *       /etc/alternatives, so no /usr/bin/java).
 *   <li>{@code --private-network}: the container has only its own loopback, so firewalld started
 *       inside never touches the host's rules, and nothing inside is reachable from outside; the
 *       test reaches in with {@code nsenter} (all namespaces for commands, only the network one
 *       for the gRPC client that runs from the test classpath).
 *   <li>{@code --register=no --keep-unit}: no machined, no scope unit (the host does not run
 *       systemd); nspawn was found to want the system bus all the same, so a host dbus-daemon is
 *       started if none runs.
 *   <li>Boots {@code basic.target}: units the host enabled for multi-user (its own glusterd,
 *       nfs-ganesha, prometheus, ...) stay off; a few sysinit units that only slow or fail in a
 *       container are masked.
 * </ul>
 */
final class SystemdContainer implements AutoCloseable {
  static final List<String> MASKED = List.of("apparmor.service", "blk-availability.service", "lvm2-monitor.service",
      "lvm2-lvmpolld.socket", "dm-event.socket", "systemd-timesyncd.service", "e2scrub_reap.service",
      "run-rpc_pipefs.mount", "nfs-client.target", "rpc-statd-notify.service",
      "console-getty.service", "getty@tty1.service");

  final Path dir;
  final Path root;
  final Path console;
  private final Process nspawn;
  private final long leader;
  private final Long ourDbus;
  final Duration bootTime;

  private SystemdContainer(Path dir, Path root, Path console, Process nspawn, long leader, Long ourDbus, Duration bootTime) {
    this.dir = dir;
    this.root = root;
    this.console = console;
    this.nspawn = nspawn;
    this.leader = leader;
    this.ourDbus = ourDbus;
    this.bootTime = bootTime;
  }

  static final Path DBUS_PID = Path.of("/run/dbus/pid");
  static final Path DBUS_SOCKET = Path.of("/run/dbus/system_bus_socket");

  /** The running system bus's PID, if one runs (its pid file names a live dbus-daemon and its socket exists). */
  static Optional<Long> systemBusPid() {
    try {
      long pid = Long.parseLong(Files.readString(DBUS_PID).strip());
      boolean alive = ProcessHandle.of(pid).map(h -> h.info().command().orElse("").endsWith("dbus-daemon")).orElse(false);
      return alive && Files.exists(DBUS_SOCKET) ? Optional.of(pid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static SystemdContainer boot(Path console) throws Exception {
    Packages.require(Map.of("systemd-nspawn", "systemd-container", "dbus-daemon", "dbus", "nsenter", "util-linux"));
    Long ourDbus = null;
    if (systemBusPid().isEmpty()) {
      // A bus killed earlier leaves its pid file, and dbus-daemon refuses to start beside it.
      Files.deleteIfExists(DBUS_PID);
      Files.deleteIfExists(DBUS_SOCKET);
      Files.createDirectories(DBUS_PID.getParent());
      String pid = Run.of("dbus-daemon", "--system", "--fork", "--print-pid").ok().out().strip();
      ourDbus = Long.parseLong(pid);
    }
    Path dir = Files.createTempDirectory("brickyard-systemd-");
    Path ov = Files.createDirectories(dir.resolve("ov"));
    Path root = Files.createDirectories(dir.resolve("root"));
    Run.of("mount", "-t", "tmpfs", "-o", "mode=0755,size=4g", "brickyard-systemd", ov.toString()).ok();
    Files.createDirectories(ov.resolve("upper"));
    Files.createDirectories(ov.resolve("work"));
    Run.of("mount", "-t", "overlay", "brickyard-systemd", "-o",
        "lowerdir=/,upperdir=" + ov.resolve("upper") + ",workdir=" + ov.resolve("work"), root.toString()).ok();
    List<String> argv = new ArrayList<>(List.of("systemd-nspawn", "-D", root.toString(), "--register=no", "--keep-unit",
        "--private-network", "-M", "brickyard-systemd", "-b", "--", "systemd.unit=basic.target"));
    MASKED.forEach(u -> argv.add("systemd.mask=" + u));
    Files.createDirectories(console.getParent());
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(console.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    long leader = 0;
    for (int i = 0; i < 300 && leader == 0; i++) {
      Optional<ProcessHandle> init = p.toHandle().children().filter(c -> c.info().command().orElse("").endsWith("/systemd")).findFirst();
      if (init.isPresent()) {
        leader = init.get().pid();
      } else if (!p.isAlive()) {
        break;
      } else {
        Thread.sleep(100);
      }
    }
    SystemdContainer c = new SystemdContainer(dir, root, console, p, leader, ourDbus, null);
    if (leader == 0) {
      c.close();
      throw new AssertionError("systemd-nspawn did not start systemd: " + Files.readString(console));
    }
    // Boot done when systemd says so (running, or degraded if some unit failed: the test shows which).
    String state = "";
    for (int i = 0; i < 600; i++) {
      state = c.sh("systemctl", "is-system-running").out().strip();
      if (state.equals("running") || state.equals("degraded")) {
        break;
      }
      Thread.sleep(100);
    }
    Duration boot = Duration.ofNanos(System.nanoTime() - t0);
    if (!state.equals("running") && !state.equals("degraded")) {
      c.close();
      throw new AssertionError("container did not finish booting (" + state + "): " + Files.readString(console));
    }
    return new SystemdContainer(dir, root, console, p, leader, ourDbus, boot);
  }

  /** A command inside the container (all its namespaces), as root. */
  Run sh(String... argv) {
    return sh(120, argv);
  }

  Run sh(long timeoutSeconds, String... argv) {
    List<String> a = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-m", "-u", "-i", "-n", "-p", "-C", "--"));
    a.addAll(List.of(argv));
    return Run.of(Map.of(), Path.of("/"), timeoutSeconds, a);
  }

  /** A program of the host (e.g. a JVM on the test classpath) in the container's network namespace only. */
  Run inNetwork(long timeoutSeconds, List<String> argv) {
    List<String> a = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-n", "--"));
    a.addAll(argv);
    return Run.of(Map.of(), Path.of("/"), timeoutSeconds, a);
  }

  /** A path inside the container, as the host sees it (through the overlay). */
  Path path(String absolute) {
    return root.resolve(absolute.substring(1));
  }

  @Override
  public void close() throws Exception {
    if (nspawn.isAlive()) {
      nspawn.destroy(); // SIGTERM: nspawn asks the container's systemd for a clean poweroff
      if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
        nspawn.descendants().forEach(ProcessHandle::destroyForcibly);
        nspawn.destroyForcibly();
        nspawn.waitFor(10, TimeUnit.SECONDS);
      }
    }
    Run.of("umount", root.toString());
    Run.of("umount", dir.resolve("ov").toString());
    if (Run.of("findmnt", "-n", root.toString()).code() != 0 && Run.of("findmnt", "-n", dir.resolve("ov").toString()).code() != 0) {
      try (var s = Files.walk(dir, 2)) { // only our empty mount points: never into a mounted overlay of /
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (UncheckedIOException e) {
        // best effort: a leftover empty temp directory is harmless
      }
    }
    if (ourDbus != null) {
      Optional<ProcessHandle> bus = ProcessHandle.of(ourDbus);
      if (bus.isPresent()) {
        bus.get().destroy();
        bus.get().onExit().get(10, TimeUnit.SECONDS);
      }
      // SIGTERM leaves both behind; the next start would refuse the pid file.
      Files.deleteIfExists(DBUS_PID);
      Files.deleteIfExists(DBUS_SOCKET);
    }
  }
}
