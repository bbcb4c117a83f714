package io.brickyard.agent.testlab;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.Daemons;
import io.brickyard.common.exec.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A throwaway two-host lab for real-software tests, built only from argv commands: two network
 * namespaces joined by a veth pair (10.231.8.1/24 and .2, nothing routed anywhere else), each
 * with a persistent private mount namespace ({@code unshare --mount=FILE}) in which
 * /var/lib/glusterd, /run, /var/log, /etc/hosts, /etc/firewalld, /etc/ganesha and /var/lib/nfs are
 * per-host bind mounts, an
 * XFS loop-device brick filesystem, and its own dbus-daemon, firewalld and glusterd -N.
 * {@link #close()} kills every process in the namespaces and removes every mount, loop device
 * and namespace, also after a partial start.
 */
public final class TwoHostLab implements AutoCloseable {
  public static final String SUBNET = "10.231.8.0/24";
  private static final Duration READY = Duration.ofSeconds(90);

  /** One lab host. {@code brickRoot} is an XFS mount inside this host's mount namespace. */
  public record Host(String hostname, String ip, String netns, Path dir, Path mountNs, Path brickRoot,
      NsenterRunner runner) {}

  private final ProcessRunner sys = new ProcessRunner();
  private final String tag = "nsvt" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256))
      + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
  private final Path base;
  private final List<Host> hosts = new ArrayList<>();
  private final List<String> loops = new ArrayList<>();
  private final List<String> netnsCreated = new ArrayList<>();
  private boolean baseBound;

  public TwoHostLab() throws IOException {
    base = Files.createTempDirectory(tag + "-");
  }

  public List<Host> hosts() {
    return hosts;
  }

  public Host host(int i) {
    return hosts.get(i);
  }

  public ProcessRunner system() {
    return sys;
  }

  private CommandResult sh(String... argv) {
    return sys.runChecked(Command.of(argv).withTimeout(Duration.ofSeconds(120)));
  }

  public TwoHostLab start() throws IOException {
    sh("mount", "--bind", base.toString(), base.toString());
    baseBound = true;
    sh("mount", "--make-private", base.toString());
    String vethA = tag + "a";
    String vethB = tag + "b";
    for (int i = 1; i <= 2; i++) {
      sh("ip", "netns", "add", tag + i);
      netnsCreated.add(tag + i);
    }
    sh("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
    sh("ip", "link", "set", vethA, "netns", tag + 1);
    sh("ip", "link", "set", vethB, "netns", tag + 2);
    StringBuilder etcHosts = new StringBuilder("127.0.0.1 localhost\n");
    for (int i = 1; i <= 2; i++) {
      etcHosts.append("10.231.8.").append(i).append(' ').append(tag).append("-h").append(i).append('\n');
    }
    for (int i = 1; i <= 2; i++) {
      String ns = tag + i;
      String ip = "10.231.8." + i;
      String veth = i == 1 ? vethA : vethB;
      sh("ip", "-n", ns, "link", "set", "lo", "up");
      sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", veth);
      sh("ip", "-n", ns, "link", "set", veth, "up");
      Path dir = base.resolve("h" + i);
      for (String d : List.of("glusterd", "run/dbus", "varlog/glusterfs", "firewalld", "bricks", "ganesha", "varlibnfs")) {
        Files.createDirectories(dir.resolve(d));
      }
      sh("cp", "-a", "/var/lib/glusterd/.", dir.resolve("glusterd").toString());
      sh("cp", "-a", "/etc/firewalld/.", dir.resolve("firewalld").toString());
      Files.writeString(dir.resolve("hosts"), etcHosts);
      Path mnt = dir.resolve("mnt");
      Files.createFile(mnt);
      sh("unshare", "--mount=" + mnt, "--propagation", "private", "true");
      NsenterRunner in = new NsenterRunner(sys, mnt.toString(), ns);
      Host h = new Host(tag + "-h" + i, ip, ns, dir, mnt, dir.resolve("bricks"), in);
      hosts.add(h);
      for (String[] bind : new String[][] {{"glusterd", "/var/lib/glusterd"}, {"run", "/run"},
          {"varlog", "/var/log"}, {"hosts", "/etc/hosts"}, {"firewalld", "/etc/firewalld"},
          {"ganesha", "/etc/ganesha"}, {"varlibnfs", "/var/lib/nfs"}}) {
        in.runChecked(Command.of("mount", "--bind", dir.resolve(bind[0]).toString(), bind[1]));
      }
      Path img = dir.resolve("brick.img");
      sh("truncate", "-s", "512M", img.toString());
      String loop = sh("losetup", "-f", "--show", img.toString()).stdout().strip();
      loops.add(loop);
      sh("mkfs.xfs", "-q", loop);
      in.runChecked(Command.of("mount", "-t", "xfs", loop, h.brickRoot().toString()));
    }
    for (Host h : hosts) {
      spawn(h, "dbus", List.of("dbus-daemon", "--system", "--nofork", "--nopidfile"));
      await("dbus socket on " + h.hostname(), () -> Files.exists(h.dir().resolve("run/dbus/system_bus_socket")));
      spawn(h, "firewalld", List.of("firewalld", "--nofork", "--nopid"));
      spawn(h, "glusterd", List.of("glusterd", "-N", "-p", "/run/glusterd.pid"));
    }
    for (Host h : hosts) {
      await("firewalld on " + h.hostname(), () -> h.runner().run(Command.of("firewall-cmd", "--state")).ok());
      await("glusterd on " + h.hostname(),
          () -> h.runner().run(Command.of("gluster", "--mode=script", "pool", "list")).ok());
    }
    return this;
  }

  /**
   * Starts a daemon inside the host and records its pid where the lab service backend keeps its
   * units' pids ({@link #labUnitsDir}), so a backend driving this host sees it running.
   */
  private void spawn(Host h, String name, List<String> argv) throws IOException {
    Process p = Daemons.spawn(h.runner().wrap(argv), h.dir().resolve(name + ".out"), Map.of("LC_ALL", "C"));
    Files.createDirectories(labUnitsDir(h));
    Files.writeString(labUnitsDir(h).resolve(name + ".pid"), p.pid() + "\n");
  }

  /** The host's /run/brickyard/lab-units, as this process sees it. */
  public static Path labUnitsDir(Host h) {
    return h.dir().resolve("run/brickyard/lab-units");
  }

  /** Polls a readiness condition (daemon start, cluster convergence); not a timing assertion. */
  public static void await(String what, BooleanSupplier ready) {
    long deadline = System.nanoTime() + READY.toNanos();
    while (!ready.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("lab: " + what + " not ready after " + READY.toSeconds() + "s");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what);
      }
    }
  }

  @Override
  public void close() {
    for (String ns : netnsCreated) {
      killAll(ns);
    }
    for (Host h : hosts) {
      sys.run(Command.of(h.runner().wrap(List.of("umount", h.brickRoot().toString()))));
      sys.run("umount", h.mountNs().toString());
    }
    for (String loop : loops) {
      sys.run("losetup", "-d", loop);
    }
    for (String ns : netnsCreated) {
      sys.run("ip", "netns", "del", ns);
    }
    if (baseBound) {
      sys.run("umount", base.toString());
    }
    try (Stream<Path> walk = Files.walk(base)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp dir is harmless
    }
  }

  private void killAll(String ns) {
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> live = sys.run("ip", "netns", "pids", ns).stdout().lines()
          .map(String::strip).filter(s -> s.matches("\\d+"))
          .map(s -> ProcessHandle.of(Long.parseLong(s))).flatMap(java.util.Optional::stream).toList();
      if (live.isEmpty()) {
        return;
      }
      live.forEach(round < 2 ? ProcessHandle::destroy : ProcessHandle::destroyForcibly);
      for (ProcessHandle p : live) {
        try {
          p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // next round escalates
        }
      }
    }
  }
}
