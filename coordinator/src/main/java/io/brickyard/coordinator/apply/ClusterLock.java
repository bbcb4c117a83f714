package io.brickyard.coordinator.apply;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One cluster-changing operation at a time on this coordinator: an apply and a VIP move (or two of
 * either) could race on the same peers, volumes and addresses. Never waits: a second operation is
 * refused at once, told what holds the lock.
 */
public final class ClusterLock {
  private final AtomicReference<String> holder = new AtomicReference<>();

  /** Takes the lock for {@code what} ("apply of lab.yaml"); false when something else holds it. */
  public boolean tryLock(String what) {
    return holder.compareAndSet(null, what);
  }

  public void unlock() {
    holder.set(null);
  }

  /** What holds it now, or "" when free. */
  public String holder() {
    String h = holder.get();
    return h == null ? "" : h;
  }
}
