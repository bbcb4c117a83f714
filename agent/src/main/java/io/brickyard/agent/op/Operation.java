package io.brickyard.agent.op;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * One check-then-act agent operation. Reads ({@link #read}) always run, so that a dry run sees
 * the real state; changes ({@link #change}) run only when not a dry run, and are recorded either
 * way. The {@link OperationResult} therefore says truthfully whether anything changed and exactly
 * which commands ran, or would run.
 *
 * <p>Typical shape:
 * <pre>{@code
 * Operation op = new Operation(runner, request.getOptions());
 * if (alreadyThere(op.read(Command.of("lvs", ...)))) return op.unchanged("thin LV data/vol1 present");
 * op.change(Command.of("lvcreate", ...));
 * return op.done("created thin LV data/vol1");
 * }</pre>
 */
public final class Operation {
  private static final int TAIL = 4096;
  private final CommandRunner runner;
  private final boolean dryRun;
  private final List<CommandRecord> records = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean changed;
  private io.brickyard.api.agent.v1.DeviceIdentity device;

  public Operation(CommandRunner runner, RequestOptions options) {
    this(runner, options != null && options.getDryRun());
  }

  public Operation(CommandRunner runner, boolean dryRun) {
    this.runner = runner;
    this.dryRun = dryRun;
  }

  public boolean dryRun() {
    return dryRun;
  }

  public CommandRunner runner() {
    return runner;
  }

  /** Runs a read-only command (always, even in a dry run); the caller inspects the result. */
  public CommandResult read(Command command) {
    return runner.run(command);
  }

  /** Runs a read-only command and fails the operation if it fails. */
  public CommandResult readChecked(Command command) {
    CommandResult r = runner.run(command);
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return r;
  }

  /**
   * Runs a mutating command, or only records it in a dry run. A failure throws
   * {@link CommandFailedException}; the commands recorded so far stay in the error.
   */
  public CommandResult change(Command command) {
    changed = true;
    if (dryRun) {
      records.add(CommandRecord.newBuilder().addAllArgv(command.argv()).setPlannedOnly(true).build());
      return new CommandResult(command, 0, "", "", java.time.Duration.ZERO, false);
    }
    CommandResult r = runner.run(command);
    records.add(record(r));
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return r;
  }

  /**
   * Runs a command that is part of the act but changes nothing and answers through its exit code,
   * such as the duplicate address probe right before adding a VIP ({@code arping -D}: 1 = another
   * host answered). It is recorded like a change, so the result shows it, and only planned in a
   * dry run (then empty: a probe taken during planning would be stale by the time of the act).
   * A non-zero exit does not throw: the caller reads the result.
   */
  public java.util.Optional<CommandResult> probe(Command command) {
    if (dryRun) {
      records.add(CommandRecord.newBuilder().addAllArgv(command.argv()).setPlannedOnly(true).build());
      return java.util.Optional.empty();
    }
    CommandResult r = runner.run(command);
    records.add(record(r));
    return java.util.Optional.of(r);
  }

  /**
   * Runs independent mutating commands side by side (at most 4 at once), e.g. firewalld's
   * permanent and runtime edits, and records them in the given order. All are attempted; the first
   * failure (in order) is then thrown, so a partial result is visible and the next run converges.
   */
  public List<CommandResult> changeAll(List<Command> commands) {
    if (commands.isEmpty()) {
      return List.of();
    }
    if (dryRun || commands.size() == 1) {
      return commands.stream().map(this::change).toList();
    }
    changed = true;
    List<java.util.concurrent.CompletableFuture<CommandResult>> fs = commands.stream()
        .map(c -> java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.run(c), PARALLEL)).toList();
    List<CommandResult> results = fs.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    results.forEach(r -> records.add(record(r)));
    for (CommandResult r : results) {
      if (!r.ok()) {
        throw new CommandFailedException(r);
      }
    }
    return results;
  }

  private static final java.util.concurrent.ExecutorService PARALLEL =
      java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "operation-parallel");
        t.setDaemon(true);
        return t;
      });

  /**
   * A change done in Java rather than by a command (an atomic /etc/fstab edit, a mkdir). It is
   * recorded as a pseudo-command {@code brickyard:<what> args...} so plans and journals show it.
   */
  public void changeInProcess(List<String> description, IoAction action) {
    changed = true;
    if (dryRun) {
      records.add(CommandRecord.newBuilder().addAllArgv(description).setPlannedOnly(true).build());
      return;
    }
    long start = System.nanoTime();
    try {
      action.run();
      records.add(CommandRecord.newBuilder().addAllArgv(description)
          .setDurationMillis((System.nanoTime() - start) / 1_000_000).build());
    } catch (java.io.IOException e) {
      records.add(CommandRecord.newBuilder().addAllArgv(description).setExitCode(1)
          .setStderrTail(String.valueOf(e.getMessage())).build());
      throw new OperationFailedException(String.join(" ", description) + ": " + e.getMessage(), e);
    }
  }

  /** The device this operation acts on, as found (device steps): reported with the result. */
  public void device(io.brickyard.api.agent.v1.DeviceIdentity found) {
    this.device = found;
  }

  public void warn(String warning) {
    warnings.add(warning);
  }

  public boolean changed() {
    return changed;
  }

  public OperationResult unchanged(String summary) {
    return result(summary);
  }

  public OperationResult done(String summary) {
    return result(summary);
  }

  private OperationResult result(String summary) {
    OperationResult.Builder b = OperationResult.newBuilder();
    if (device != null) {
      b.setDevice(device);
    }
    return b
        .setChanged(changed)
        .addAllCommands(records)
        .setSummary((dryRun && changed ? "would: " : "") + summary)
        .addAllWarnings(warnings)
        .setDryRun(dryRun)
        .build();
  }

  public List<CommandRecord> records() {
    return List.copyOf(records);
  }

  private static CommandRecord record(CommandResult r) {
    return CommandRecord.newBuilder()
        .addAllArgv(r.command().argv())
        .setExitCode(r.exitCode())
        .setDurationMillis(r.duration().toMillis())
        .setStdoutTail(CommandResult.tail(r.stdout(), TAIL))
        .setStderrTail(CommandResult.tail(r.stderr(), TAIL))
        .build();
  }

  /** An in-process change. */
  @FunctionalInterface
  public interface IoAction {
    void run() throws java.io.IOException;
  }
}
