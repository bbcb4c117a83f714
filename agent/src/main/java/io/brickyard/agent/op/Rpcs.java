package io.brickyard.agent.op;

import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.CommandFailedException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unary RPC body and maps failures to precise gRPC statuses, so that the CLI can print one
 * clear line: bad request = INVALID_ARGUMENT, unsafe = FAILED_PRECONDITION, a command failed =
 * ABORTED with the command and its stderr, the caller gave up while the call waited for a lock =
 * DEADLINE_EXCEEDED or CANCELLED (nothing done), no such object (a snapshot) = NOT_FOUND,
 * anything else = INTERNAL.
 */
public final class Rpcs {
  private static final Logger log = LoggerFactory.getLogger(Rpcs.class);

  private Rpcs() {}

  /**
   * Mutating RPCs on one node run one at a time: two concurrent lvcreate/fstab edits on the same
   * node could interleave their check and act. Fair, so that no caller starves.
   */
  private static final ReentrantLock NODE_LOCK = new ReentrantLock(true);

  /**
   * Like {@link #unary} but holds the node-wide mutation lock, except for a dry run, which only
   * reads and so may run beside anything (the planner dry-runs many steps at once).
   */
  public static <T> void mutating(StreamObserver<T> out, RequestOptions options, Supplier<T> body) {
    locked(out, options, NODE_LOCK, body);
  }

  private static final ConcurrentHashMap<String, ReentrantLock> KEYED = new ConcurrentHashMap<>();

  /**
   * For changes to cluster-wide gluster objects (a peer, a volume) rather than to this node's
   * disks, mounts or services: they hold a lock per object ({@code key}, e.g. "gluster volume vol1")
   * instead of the node lock. Two steps on the same volume still run one after the other; steps on
   * different volumes, and a volume step next to a mkfs on this node, run side by side. glusterd
   * itself orders cluster transactions (per-volume locks; "Another transaction is in progress" is
   * retried), and holding the node lock for a 2-3 s {@code volume start} would stall the node's
   * own storage steps behind it. A dry run takes no lock, as in {@link #mutating}.
   */
  public static <T> void mutatingKeyed(StreamObserver<T> out, RequestOptions options, String key, Supplier<T> body) {
    locked(out, options, KEYED.computeIfAbsent(key, k -> new ReentrantLock(true)), body);
  }

  /**
   * Holds {@code lock} around {@code body}, but only for a caller that still waits for the answer:
   * the wait for the lock ends at the call's deadline or cancellation, and after the lock is taken
   * the call is checked once more before the body starts. Otherwise a timed-out EnsureXfs with
   * wipe, queued behind a long mkfs, would run minutes later for nobody (while the coordinator has
   * moved on or retried). A dry run takes no lock.
   */
  private static <T> void locked(StreamObserver<T> out, RequestOptions options,
      ReentrantLock lock, Supplier<T> body) {
    if (options != null && options.getDryRun()) {
      unary(out, body);
      return;
    }
    unary(out, () -> {
      Context call = Context.current();
      acquire(lock, call);
      try {
        stillWanted(call);
        return body.get();
      } finally {
        lock.unlock();
      }
    });
  }

  /**
   * Waits for {@code lock} until the call's deadline, or until it is cancelled: gRPC cancels the
   * call's context on either, and a listener then interrupts this wait (and only this wait).
   */
  private static void acquire(ReentrantLock lock, Context call) {
    stillWanted(call);
    WaitInterrupter interrupter = new WaitInterrupter();
    call.addListener(interrupter, Runnable::run);
    boolean locked = false;
    try {
      Deadline deadline = call.getDeadline();
      if (deadline == null) {
        lock.lockInterruptibly();
        locked = true;
      } else {
        locked = lock.tryLock(deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      // cancelled while waiting: reported below
    } finally {
      interrupter.stop();
      call.removeListener(interrupter);
    }
    if (!locked) {
      stillWanted(call);
      throw new CallAbandonedException(call.getDeadline() != null
          ? Status.DEADLINE_EXCEEDED.withDescription("gave up waiting for the lock at the call's deadline; nothing was done")
          : Status.CANCELLED.withDescription("interrupted while waiting for the lock; nothing was done"));
    }
  }

  /** Throws when the caller gave up: its deadline passed or it cancelled the call. */
  private static void stillWanted(Context call) {
    Deadline deadline = call.getDeadline();
    if (deadline != null && deadline.isExpired()) {
      throw new CallAbandonedException(Status.DEADLINE_EXCEEDED.withDescription(
          "the call's deadline passed before it could start; nothing was done"));
    }
    if (call.isCancelled()) {
      boolean timedOut = call.cancellationCause() instanceof java.util.concurrent.TimeoutException;
      throw new CallAbandonedException((timedOut ? Status.DEADLINE_EXCEEDED : Status.CANCELLED).withDescription(
          "the caller " + (timedOut ? "timed out" : "cancelled the call") + " before it could start; nothing was done"));
    }
  }

  /**
   * Interrupts the thread waiting for a lock when its call is cancelled, and never after
   * {@link #stop}: the body that runs next (a mkfs, an fstab edit) must not be interrupted.
   */
  private static final class WaitInterrupter implements Context.CancellationListener {
    private final Thread waiter = Thread.currentThread();
    private boolean waiting = true;

    @Override
    public synchronized void cancelled(Context context) {
      if (waiting) {
        waiter.interrupt();
      }
    }

    /** No interrupt after this; one that came in just before is cleared (it was meant for the wait). */
    synchronized void stop() {
      waiting = false;
      Thread.interrupted();
    }
  }

  public static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (CallAbandonedException e) {
      log.info("not done, the caller gave up: {}", e.getMessage());
      out.onError(e.status().asRuntimeException());
      return;
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (NotFoundException e) {
      out.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RefusedException e) {
      log.warn("refused: {}", e.getMessage());
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (CommandFailedException e) {
      log.warn("command failed: {}", e.getMessage());
      out.onError(Status.ABORTED.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (OperationFailedException e) {
      log.warn("operation failed: {}", e.getMessage());
      out.onError(Status.ABORTED.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      log.error("internal error", e);
      out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }
}
