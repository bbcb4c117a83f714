package io.brickyard.coordinator;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The coordinator's two thread pools. They are separate because their work is of two kinds: an
 * apply step may hold its thread for minutes (mkfs, a volume create, up to the 5-minute step
 * deadline), while {@code nodes}, {@code plan} and {@code status} are reads bounded by seconds
 * (the agent and plan deadlines). With one pool, an apply to a cluster of 16 nodes filled every
 * thread and those reads waited for the apply's steps to end: an admin could not even see what
 * the apply was doing to the nodes.
 *
 * @param apply runs apply steps and nothing else
 * @param read runs reachability probes, facts and inventory, dry runs (the planning of an apply
 *     included: it is reads) and status collection
 */
public record Pools(ExecutorService apply, ExecutorService read) implements AutoCloseable {
  /**
   * Apply: 16 threads. One apply runs at a time (the service's apply lock) and runs at most one
   * step per node at once, plus peer probes and per-volume steps; the threads only wait on agents,
   * so 16 nodes progress side by side and a larger cluster queues (its steps never wait on each
   * other's threads, see Applier#schedule, so a queue cannot deadlock).
   */
  public static final int APPLY_THREADS = 16;
  /**
   * Read: 16 threads, enough for a plan of 16 nodes' dry runs side by side, or a few admins'
   * {@code nodes}/{@code status} at once. Every read has a deadline of seconds, so a queue behind
   * a dead node drains by itself; none ever waits on the apply pool.
   */
  public static final int READ_THREADS = 16;

  public static Pools standard() {
    return new Pools(fixed(APPLY_THREADS, "coordinator-apply"), fixed(READ_THREADS, "coordinator-read"));
  }

  /** Daemon threads, so that a stuck agent call never keeps the JVM from exiting. */
  public static ExecutorService fixed(int threads, String name) {
    return Executors.newFixedThreadPool(threads, daemon(name));
  }

  /** Threads named {@code name} that never keep the JVM from exiting (a background loop, a stuck call). */
  public static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    apply.shutdownNow();
    read.shutdownNow();
  }
}
