package io.brickyard.agent.op;

import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.CommandFailedException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unary RPC body and maps failures to precise gRPC statuses, so that the CLI can print one
 * clear line: bad request = INVALID_ARGUMENT, unsafe = FAILED_PRECONDITION, a command failed =
 * ABORTED with the command and its stderr, anything else = INTERNAL.
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

  private static <T> void locked(StreamObserver<T> out, RequestOptions options,
      ReentrantLock lock, Supplier<T> body) {
    if (options != null && options.getDryRun()) {
      unary(out, body);
      return;
    }
    unary(out, () -> {
      lock.lock();
      try {
        return body.get();
      } finally {
        lock.unlock();
      }
    });
  }

  public static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
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
