package io.brickyard.bench;

import java.util.Arrays;

/** Median and p90 of a sample of durations in nanoseconds (nearest-rank), printed in milliseconds. */
record Stats(int n, double medianMs, double p90Ms, double minMs, double maxMs) {

  static Stats of(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new Stats(s.length, ms(rank(s, 0.50)), ms(rank(s, 0.90)), ms(s[0]), ms(s[s.length - 1]));
  }

  private static long rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  @Override
  public String toString() {
    return String.format("n=%d median=%.1f ms p90=%.1f ms (min %.1f, max %.1f)", n, medianMs, p90Ms, minMs, maxMs);
  }
}
