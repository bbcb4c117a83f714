package io.brickyard.cli;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Times a VIP move from outside Brickyard: when the address answers ICMP from the new holder (its
 * MAC in the lab bridge's neighbour table: the root namespace sits on the bridge, so it sees the
 * gratuitous ARP like any client), and when a new client's first read succeeds.
 */
final class MoveTiming {
  private MoveTiming() {}

  /** Milliseconds from {@code t0} until {@code vip} answers an echo and the bridge resolves it to {@code mac}. */
  static long awaitAnswering(String vip, String mac, long t0, Duration max) throws Exception {
    InetAddress a = InetAddress.getByName(vip);
    long end = t0 + max.toNanos();
    while (System.nanoTime() < end) {
      if (a.isReachable(50) && mac.equalsIgnoreCase(neighbour(vip))) {
        return (System.nanoTime() - t0) / 1_000_000;
      }
    }
    throw new AssertionError(vip + " did not answer from " + mac + " within " + max);
  }

  /** Milliseconds from {@code t0} until {@code read} succeeds (tried every 200 ms). */
  static long awaitFirstRead(Callable<Boolean> read, long t0, Duration max) throws Exception {
    long end = t0 + max.toNanos();
    while (System.nanoTime() < end) {
      if (read.call()) {
        return (System.nanoTime() - t0) / 1_000_000;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no successful read within " + max);
  }

  private static String neighbour(String vip) throws Exception {
    Process p = new ProcessBuilder("ip", "neigh", "show", vip, "dev", "bylab0").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    int i = out.indexOf("lladdr ");
    return i < 0 ? "" : out.substring(i + 7).split("\\s+")[0];
  }

  /** Median and max of each column: answering, first read. */
  static String table(String title, List<long[]> runs) {
    StringBuilder b = new StringBuilder(title + ": " + runs.size() + " runs\n");
    String[] names = {"address answering (ms)", "first read by a new client (ms)"};
    for (int c = 0; c < names.length; c++) {
      final int col = c;
      long[] v = runs.stream().mapToLong(r -> r[col]).sorted().toArray();
      long median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      b.append(String.format("  %-32s median %6d  max %6d  all %s%n", names[c], median, v[v.length - 1],
          Arrays.toString(runs.stream().mapToLong(r -> r[col]).toArray())));
    }
    return b.toString();
  }
}
