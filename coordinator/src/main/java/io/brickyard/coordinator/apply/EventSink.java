package io.brickyard.coordinator.apply;

import io.brickyard.api.coordinator.v1.ApplyEvent;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an apply's progress goes: a watcher (the CLI's stream) that may go away at any moment.
 * {@link #send} never throws into the apply: once the watcher is gone ({@code gone} says so, or
 * delivering an event threw, as grpc-java's onNext does on a cancelled call), events are no longer
 * forwarded and the apply runs on to its end unwatched. Events are delivered one at a time (steps
 * on different nodes finish concurrently; a stream observer is not thread-safe).
 */
public final class EventSink {
  private static final Logger log = LoggerFactory.getLogger(EventSink.class);
  private final Consumer<ApplyEvent> watcher;
  private final BooleanSupplier gone;
  private boolean stopped;

  public EventSink(Consumer<ApplyEvent> watcher, BooleanSupplier gone) {
    this.watcher = watcher;
    this.gone = gone;
  }

  /** A sink for a watcher that never goes away (tests, a watcher in this process). */
  public static EventSink to(Consumer<ApplyEvent> watcher) {
    return new EventSink(watcher, () -> false);
  }

  /** Delivers {@code e}, unless the watcher is gone. Returns whether it was delivered. */
  public synchronized boolean send(ApplyEvent e) {
    if (stopped || gone.getAsBoolean()) {
      stopped = true;
      return false;
    }
    try {
      watcher.accept(e);
      return true;
    } catch (RuntimeException ex) {
      stopped = true;
      log.info("the apply's watcher went away ({}); the apply goes on unwatched", ex.toString());
      return false;
    }
  }

  /** Whether events still reach the watcher. */
  public synchronized boolean watched() {
    return !stopped && !gone.getAsBoolean();
  }
}
