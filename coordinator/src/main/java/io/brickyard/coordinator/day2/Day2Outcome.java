package io.brickyard.coordinator.day2;

import io.brickyard.api.coordinator.v1.ApplySummary;

/** How a day-2 command ended: bad input (exit 2), busy, refused by a check (nothing ran), or ran (summary says how). */
public sealed interface Day2Outcome {
  record Invalid(String error) implements Day2Outcome {}

  record Busy(String error) implements Day2Outcome {}

  record Refused(String error) implements Day2Outcome {}

  record Done(ApplySummary summary) implements Day2Outcome {}
}
