package io.brickyard.coordinator.day2;

import io.brickyard.api.coordinator.v1.ApplySummary;

/** How a day-2 command ended: bad input (exit 2), busy, refused by a check (nothing ran), or ran (summary says how). */
public sealed interface Day2Outcome {
  record Invalid(String error) implements Day2Outcome {}

  record Busy(String error) implements Day2Outcome {
    /** Another operation holds the coordinator's cluster lock: who, and that a retry is the answer. */
    static Busy heldBy(io.brickyard.coordinator.apply.ClusterLock lock) {
      return new Busy("another operation (" + lock.holder() + ") is running on this coordinator; try again when it ends");
    }
  }

  record Refused(String error) implements Day2Outcome {}

  record Done(ApplySummary summary) implements Day2Outcome {}
}
