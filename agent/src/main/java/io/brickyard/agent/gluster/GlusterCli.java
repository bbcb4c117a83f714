package io.brickyard.agent.gluster;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * How the agent calls the gluster CLI. Always {@code --mode=script} (never prompt) and
 * {@code --timeout=120} (the CLI's own wait for glusterd; our process timeout is a little longer
 * so the CLI can report its own timeout). Reads add {@code --xml} and are parsed with the DOM;
 * changes run without {@code --xml} because only then does the exit code reflect failure
 * ({@code peer probe --xml} exits 0 with opRet -1). Every command ends the CLI's own options with
 * {@code --}: gluster takes any later word starting with "--" as its own option wherever it stands
 * (a volume option value {@code --log-file=F} made root's CLI write F, issue #8); every value is also
 * checked before it gets here ({@code GlusterOptions}, {@code GlusterNames}), and this is the second
 * layer. glusterfs 10.3 honours {@code --} for every command the agent runs (checked in the lab:
 * reads with --xml, peer probe, volume create/set/start/stop).
 *
 * <p>glusterd serializes cluster-wide transactions with a cluster lock; a concurrent transaction
 * (another admin, a heal, another node's agent) makes a change fail with "Another transaction is
 * in progress" or "Locking failed". Those are retried a few times with backoff; everything else
 * fails at once.
 */
final class GlusterCli {
  static final Duration CLI_TIMEOUT = Duration.ofSeconds(120);
  static final Duration PROCESS_TIMEOUT = CLI_TIMEOUT.plusSeconds(15);
  /** 0.5 + 1 + 2 + 4 + 8 s of patience with the production first backoff. */
  static final int ATTEMPTS = 6;

  /** Sleeps between retries; tests pass a no-op. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d);
  }

  static final Sleeper REAL_SLEEP = d -> {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry a gluster command", e);
    }
  };

  private final Sleeper sleeper;
  private final Duration firstBackoff;

  GlusterCli(Sleeper sleeper, Duration firstBackoff) {
    this.sleeper = sleeper;
    this.firstBackoff = firstBackoff;
  }

  static Command read(String... args) {
    return build(true, List.of(args));
  }

  static Command change(List<String> args) {
    return build(false, args);
  }

  private static Command build(boolean xml, List<String> args) {
    List<String> a = new ArrayList<>(List.of("gluster", "--mode=script", "--timeout=" + CLI_TIMEOUT.toSeconds()));
    if (xml) {
      a.add("--xml");
    }
    a.add("--"); // the end of the CLI's own options: no later word, whatever it says, is taken as one
    a.addAll(args);
    return Command.of(a).withTimeout(PROCESS_TIMEOUT);
  }

  /** Runs a read and returns stdout; a non-zero exit fails the operation. */
  static String readXml(Operation op, String... args) {
    return op.readChecked(read(args)).stdout();
  }

  /** As {@link #readXml}, but empty when glusterd does not answer (a state, for the caller to judge). */
  static Optional<String> readXmlIfUp(Operation op, String... args) {
    CommandResult r = op.read(read(args));
    if (!r.ok() && notReachable(r)) {
      return Optional.empty();
    }
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return Optional.of(r.stdout());
  }

  /** Runs a change, retrying cluster-lock contention with doubling backoff. */
  CommandResult changeWithRetry(Operation op, List<String> args) {
    Duration wait = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      try {
        return op.change(change(args));
      } catch (CommandFailedException e) {
        if (attempt >= ATTEMPTS || !transientLockError(e.result())) {
          throw e;
        }
        sleeper.sleep(wait);
        wait = wait.multipliedBy(2);
      }
    }
  }

  /**
   * A snapshot change, with {@code --xml}: its answer carries what was made (the snapshot's uuid)
   * and, on failure, glusterd's own reason in opErrstr, which is clearer than the exit code alone
   * (the CLI exits 1 and prints the XML either way). Lock contention is retried as for other
   * changes; any other failure throws {@link io.brickyard.agent.op.OperationFailedException} with
   * {@code what} and opErrstr. In a dry run the command is only recorded and the answer is empty.
   */
  String changeXml(Operation op, List<String> args, String what) {
    Duration wait = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      CommandResult r;
      try {
        r = op.change(build(true, args));
      } catch (CommandFailedException e) {
        r = e.result();
        if (attempt < ATTEMPTS && transientLockError(r)) {
          sleeper.sleep(wait);
          wait = wait.multipliedBy(2);
          continue;
        }
        if (notReachable(r)) {
          throw new io.brickyard.agent.op.RefusedException("glusterd is not running on this node (ensure the glusterd service first)");
        }
        if (r.stdout().contains("<cliOutput>")) {
          Xml.parseOk(r.stdout(), what); // throws with opErrstr
        }
        throw e;
      }
      if (op.dryRun()) {
        return "";
      }
      Xml.parseOk(r.stdout(), what);
      return r.stdout();
    }
  }

  /**
   * A read that glusterd may refuse while another transaction holds its lock (a status read beside
   * another admin's or a monitor's: "Another transaction is in progress", seen in the lab during a
   * remove-brick): asked again with the same backoff as a change. Any other answer is returned.
   */
  CommandResult readWithRetry(Operation op, String... args) {
    Duration wait = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      CommandResult r = op.read(read(args));
      // with --xml the CLI may exit 0 and say it in opErrstr (seen in the lab): the text decides
      if (attempt >= ATTEMPTS || !transientLockError(r)) {
        return r;
      }
      sleeper.sleep(wait);
      wait = wait.multipliedBy(2);
    }
  }

  /** glusterd's cluster-lock contention messages (captured from gluster 10.3). */
  static boolean transientLockError(CommandResult r) {
    String s = (r.stdout() + "\n" + r.stderr()).toLowerCase(Locale.ROOT);
    return s.contains("another transaction is in progress") || s.contains("locking failed")
        || s.contains("unable to acquire lock");
  }

  /** The CLI could not talk to glusterd at all (not running, socket missing). */
  static boolean notReachable(CommandResult r) {
    String s = r.stdout() + "\n" + r.stderr();
    return s.contains("Connection failed. Please check if gluster daemon is operational");
  }
}
