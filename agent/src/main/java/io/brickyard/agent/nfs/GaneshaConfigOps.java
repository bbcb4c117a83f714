package io.brickyard.agent.nfs;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.agent.storage.FstabWriter;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.GaneshaConfigResult;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The main ganesha.conf. Its core and NFSv4 parameters take effect only at ganesha's start, so
 * this never restarts ganesha on its own (a restart drops every client's state into a grace
 * period): it reports {@code restart_required} when the running ganesha started before the file
 * was last written, read from the live process and the file every time, so a restart skipped by
 * an earlier call is still reported. Starting a stopped ganesha, or restarting, goes through the
 * node's service layer (systemd or the lab backend), only when the request asks.
 */
final class GaneshaConfigOps {
  static final String UNIT = "nfs-ganesha";
  static final Duration ON_BUS_TIMEOUT = Duration.ofSeconds(30);
  private final GaneshaFiles files;
  private final ServiceBackend services;

  GaneshaConfigOps(GaneshaFiles files, ServiceBackend services) {
    this.files = files;
    this.services = services;
  }

  GaneshaConfigResult ensure(Operation op, EnsureGaneshaConfigRequest req) {
    CoreParams p = CoreParams.of(req);
    if (p.graceShorterThanLease()) {
      op.warn("Grace_Period " + p.gracePeriod() + " s is shorter than Lease_Lifetime " + p.leaseLifetime()
          + " s: a client may not get to reclaim its state after a failover");
    }
    if (!Files.isDirectory(p.recoveryRoot().getParent())) {
      op.warn("recovery_root " + p.recoveryRoot() + ": its parent directory does not exist; ganesha creates only the "
          + "last component (mount the shared recovery volume first)");
    }
    String want = GaneshaConfigText.main(p, files);
    Path main = files.mainConfig();
    Optional<String> had = read(main);
    boolean changed = !had.equals(Optional.of(want));
    if (!Files.isDirectory(files.exportDir())) {
      op.changeInProcess(List.of("brickyard:mkdir", "-p", files.exportDir().toString()),
          () -> Files.createDirectories(files.exportDir()));
    }
    if (changed) {
      op.changeInProcess(List.of("brickyard:write-file", main.toString()), () -> {
        FstabWriter.removeStaleTemps(main);
        var mode = PosixFilePermissions.fromString("rw-r--r--");
        if (had.isPresent()) {
          FstabWriter.atomicWrite(files.mainBackup(), had.get().getBytes(StandardCharsets.UTF_8), mode);
        }
        FstabWriter.atomicWrite(main, want.getBytes(StandardCharsets.UTF_8), mode);
      });
    }
    if (p.nfsv3()) {
      ensureStatd(op);
    }
    if (req.getEpochIndex() != 0) {
      ensureEpoch(op, req.getEpochIndex());
    }
    ServiceState s = services.status(UNIT);
    if (!s.getInstalled() && (req.getEnsureRunning() || req.getRestartIfRequired())) {
      throw new RefusedException("nfs-ganesha is not installed on this node");
    }
    boolean restartRequired = s.getActive() && (op.dryRun() && changed || startedBefore(s.getMainPid(), main));
    String service = "";
    if (restartRequired && req.getRestartIfRequired()) {
      services.ensure(op, UNIT, true, s.getEnabled(), true);
      restartRequired = op.dryRun();
      service = "; restarted ganesha";
      awaitOnBus(op);
    } else if (!s.getActive() && req.getEnsureRunning()) {
      services.ensure(op, UNIT, true, s.getEnabled(), false);
      service = "; started ganesha";
      awaitOnBus(op);
    }
    String what = "ganesha main config " + main;
    GaneshaConfigResult.Builder r = GaneshaConfigResult.newBuilder().setRestartRequired(restartRequired);
    if (!op.changed()) {
      return r.setResult(op.unchanged(what + " already as asked" + (restartRequired
          ? "; ganesha runs an older version of it (restart required)" : ""))).build();
    }
    return r.setResult(op.done((changed ? "wrote " : "kept ") + what + service
        + (restartRequired ? "; ganesha must restart to use it" : ""))).build();
  }

  /**
   * NFSv3 locking needs rpc.statd, which is nfs-utils', not ganesha's: its ports are pinned in an
   * nfs.conf.d drop-in (read by nfs-utils 2.x at start; left in place when NFSv3 is turned off, as
   * fixed statd ports harm nothing). rpc.statd is not restarted here: the warning says so.
   */
  private void ensureStatd(Operation op) {
    Path file = files.statdConfig();
    String want = GaneshaConfigText.statd();
    if (read(file).equals(Optional.of(want))) {
      return;
    }
    writeFile(op, file, want);
    op.warn(file + " pins rpc.statd to port " + GaneshaConfigText.STATD_PORT + " (outgoing "
        + GaneshaConfigText.STATD_OUTGOING_PORT + "): restart rpc-statd for it to take effect");
  }

  /**
   * EPOCH_EXEC in the environment file (GaneshaEpoch): used from ganesha's next start on, so it
   * neither restarts ganesha nor asks for a restart.
   */
  private void ensureEpoch(Operation op, int index) {
    Path file = files.epochSource();
    Optional<String> had = read(file);
    String base = had.orElseGet(() -> read(files.unitEnv()).map(GaneshaEpoch::seedFromUnitEnv).orElse(""));
    Optional<String> want = GaneshaEpoch.withProgram(base, index);
    if (want.isEmpty()) {
      op.warn(file + " sets its own EPOCH_EXEC: left as it is, so this node's NFSv4 client ids are only as distinct"
          + " as that program makes them (docs/ha.md)");
      return;
    }
    if (had.equals(want)) {
      return;
    }
    writeFile(op, file, want.get());
  }

  /** A file of ours beside ganesha's, written atomically (its directory made first), readable by all. */
  private static void writeFile(Operation op, Path file, String text) {
    op.changeInProcess(List.of("brickyard:write-file", file.toString()), () -> {
      Files.createDirectories(file.getParent());
      FstabWriter.removeStaleTemps(file);
      FstabWriter.atomicWrite(file, text.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
    });
  }

  /**
   * A started ganesha loads its exports before it registers on D-Bus; until then an export
   * request would take it for stopped. So a start or restart returns once ganesha answers there.
   */
  private static void awaitOnBus(Operation op) {
    if (op.dryRun()) {
      return;
    }
    GaneshaBus bus = new GaneshaBus(op);
    long deadline = System.nanoTime() + ON_BUS_TIMEOUT.toNanos();
    CommandResult r = bus.readGrace();
    while (!r.ok()) {
      if (System.nanoTime() > deadline) {
        op.warn("ganesha started but did not answer on D-Bus within " + ON_BUS_TIMEOUT.toSeconds() + " s: "
            + GaneshaHealthRead.whyDown(r));
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      r = bus.readGrace();
    }
  }

  /** Read now: ganesha runs and started before the main file's last write. */
  boolean restartRequired() {
    ServiceState s = services.status(UNIT);
    return s.getActive() && startedBefore(s.getMainPid(), files.mainConfig());
  }

  /** The process started before the file's last write: it runs with an older file (or none). */
  static boolean startedBefore(int pid, Path file) {
    if (pid <= 0) {
      return false;
    }
    Optional<Instant> start = ProcessStart.of(pid, Path.of("/proc"));
    try {
      return start.isPresent() && Files.exists(file) && start.get().isBefore(Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      throw new OperationFailedException("reading " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (IOException e) {
      throw new OperationFailedException("reading " + file + ": " + e.getMessage(), e);
    }
  }
}
