package io.brickyard.agent.service;

import io.brickyard.agent.nfs.GaneshaEpoch;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandRunner;
import io.brickyard.common.exec.Daemons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Service backend for lab hosts (network + mount namespaces with no systemd as PID 1). The agent
 * runs each daemon in the foreground as its own child, keeps its pid in
 * {@code /run/brickyard/lab-units/UNIT.pid} (per host, since each host has its own /run), and
 * marks "enabled" with a file under {@code /var/lib/brickyard/lab-units}. Status is read from the
 * live process (pid alive and its argv[0] is the unit's program), never from a cached flag.
 */
public final class LabServiceBackend implements ServiceBackend {
  /**
   * How long a started daemon may take to become ready. A daemon that exits is reported at once;
   * this only bounds one that runs and never answers. 60 s was too short for firewalld in the VM
   * tier's TCG guests (docs/vm-tier.md: 58-74 s there, two guests on two emulated cores, polled
   * with busctl); 180 s leaves room without hiding a hang for long.
   */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private final CommandRunner runner;
  private final Path runDir;
  private final Path enabledDir;
  private final Path logDir;
  /** Null: daemons run in this process's own namespaces (the agent in a lab host). */
  private final UnaryOperator<List<String>> enter;

  public LabServiceBackend(CommandRunner runner, Path runDir, Path enabledDir, Path logDir) {
    this(runner, runDir, enabledDir, logDir, null);
  }

  /**
   * For tests that drive a lab host from outside it: {@code enter} prefixes a daemon's argv to run
   * it inside the host (nsenter, which execs, so the pid is still the daemon's), and {@code runner}
   * already runs commands there; the unit's directories are then made by {@code mkdir -p} inside
   * the host. {@code runDir}/{@code logDir} are paths as this process sees them.
   */
  public LabServiceBackend(CommandRunner runner, Path runDir, Path enabledDir, Path logDir,
      UnaryOperator<List<String>> enter) {
    this.runner = runner;
    this.runDir = runDir;
    this.enabledDir = enabledDir;
    this.logDir = logDir;
    this.enter = enter;
  }

  @Override
  public String name() {
    return "lab";
  }

  private static LabUnit unit(String name) {
    LabUnit u = LabUnit.UNITS.get(name);
    if (u == null) {
      throw new IllegalArgumentException("unit '" + name + "' is not known to the lab service backend; known: "
          + String.join(", ", new java.util.TreeSet<>(LabUnit.UNITS.keySet())));
    }
    return u;
  }

  @Override
  public ServiceState status(String name) {
    LabUnit u = LabUnit.UNITS.get(name);
    if (u == null || findProgram(u.program()).isEmpty()) {
      return ServiceState.newBuilder().setUnit(name).setInstalled(false).setDetail("not installed").build();
    }
    boolean enabled = Files.exists(enabledDir.resolve(name));
    Optional<ProcessHandle> p = livePid(u);
    String detail = p.map(h -> "active (running) pid " + h.pid()).orElse("inactive (dead)")
        + ", " + (enabled ? "enabled" : "disabled") + " [lab backend]";
    return ServiceState.newBuilder().setUnit(name).setInstalled(true).setActive(p.isPresent())
        .setEnabled(enabled).setMainPid(p.map(h -> (int) h.pid()).orElse(0)).setDetail(detail).build();
  }

  @Override
  public void ensure(Operation op, String name, boolean running, boolean enabled, boolean restart) {
    LabUnit u = unit(name);
    ServiceState s = status(name);
    if (!s.getInstalled()) {
      throw new IllegalArgumentException("unit " + name + " is not installed on this node (" + u.program() + " not found)");
    }
    Path marker = enabledDir.resolve(name);
    if (enabled != s.getEnabled()) {
      op.changeInProcess(List.of("brickyard:lab-" + (enabled ? "enable" : "disable"), name), () -> {
        if (enabled) {
          Files.createDirectories(enabledDir);
          Files.writeString(marker, "enabled\n");
        } else {
          Files.deleteIfExists(marker);
        }
      });
    }
    if (running && s.getActive() && restart) {
      op.changeInProcess(List.of("brickyard:lab-stop", name), () -> stop(u));
      start(op, u);
    } else if (running && !s.getActive()) {
      for (String dep : u.requires()) {
        if (!status(dep).getActive()) {
          throw new OperationFailedException("cannot start " + name + ": it requires " + dep + ", which is not running");
        }
      }
      start(op, u);
    } else if (!running && s.getActive()) {
      op.changeInProcess(List.of("brickyard:lab-stop", name), () -> stop(u));
    }
  }

  private void start(Operation op, LabUnit u) {
    List<String> desc = new java.util.ArrayList<>(List.of("brickyard:lab-start"));
    desc.addAll(u.argv());
    op.changeInProcess(desc, () -> {
      if (enter == null) {
        for (Path d : u.dirs()) {
          Files.createDirectories(d);
        }
      } else if (!u.dirs().isEmpty()) {
        List<String> mkdir = new java.util.ArrayList<>(List.of("mkdir", "-p", "--"));
        u.dirs().forEach(d -> mkdir.add(d.toString()));
        runner.runChecked(Command.of(mkdir));
      }
      Files.createDirectories(runDir);
      List<String> argv = new java.util.ArrayList<>(u.argv());
      if (u.name().equals("nfs-ganesha")) { // what the packages' start script adds: -E from EPOCH_EXEC
        argv.addAll(GaneshaEpoch.startArgs(runner));
      }
      Process p = Daemons.spawn(enter == null ? argv : enter.apply(argv), logDir.resolve(u.name() + ".out"),
          Map.of("LC_ALL", "C"));
      Files.writeString(runDir.resolve(u.name() + ".pid"), p.pid() + "\n");
      awaitReady(u, p);
    });
  }

  private void awaitReady(LabUnit u, Process p) throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(u.name() + " exited with code " + p.exitValue() + " during start; see "
            + logDir.resolve(u.name() + ".out") + ": " + lastLines(logDir.resolve(u.name() + ".out")));
      }
      boolean ready = u.readyPath() != null ? Files.exists(u.readyPath())
          : u.readyProbe() == null || u.ready(runner.run(u.readyProbe().withTimeout(Duration.ofSeconds(10))));
      if (ready) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + u.name());
      }
    }
    throw new IOException(u.name() + " did not become ready within " + READY_TIMEOUT.toSeconds() + "s");
  }

  private void stop(LabUnit u) throws IOException {
    Optional<ProcessHandle> p = livePid(u);
    if (p.isEmpty()) {
      return;
    }
    ProcessHandle h = p.get();
    h.destroy();
    try {
      h.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      h.destroyForcibly();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(runDir.resolve(u.name() + ".pid"));
  }

  private Optional<ProcessHandle> livePid(LabUnit u) {
    Path pidFile = runDir.resolve(u.name() + ".pid");
    try {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (h.isEmpty()) {
        return h;
      }
      // Guard against pid reuse: the live process must be the unit's program, either as argv[0]
      // or, for scripts such as firewalld (python3 /usr/sbin/firewalld), as argv[1].
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String[] argv = new String(cmdline, StandardCharsets.UTF_8).split("\0");
      for (int i = 0; i < Math.min(2, argv.length); i++) {
        if (argv[i].substring(argv[i].lastIndexOf('/') + 1).equals(u.program())) {
          return h;
        }
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Optional<Path> findProgram(String program) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String lastLines(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
