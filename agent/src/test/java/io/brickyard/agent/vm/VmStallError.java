package io.brickyard.agent.vm;

/**
 * The VM stalled or timed out; carries the {@link StallReport} so the caller can decide whether
 * a retry is legitimate (only before the BOOTED marker) and quote attempt 1 if attempt 2 fails.
 */
final class VmStallError extends AssertionError {
  private final transient StallReport report;

  VmStallError(StallReport report) {
    super(report.render());
    this.report = report;
  }

  StallReport report() {
    return report;
  }
}
