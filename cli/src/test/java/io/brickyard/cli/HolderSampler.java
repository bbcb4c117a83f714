package io.brickyard.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples which lab hosts hold some addresses, every 100 ms, with ip(8) in each host's network
 * namespace (not through Brickyard; one {@code ip} per host per sample, whatever the number of
 * addresses), and records every sample in which two hosts held one address, and every change of an
 * address's holders with its time. The hosts of one sample are read one after the other, a few
 * milliseconds apart; a move takes longer than that (its release is confirmed before the add, which
 * waits for a duplicate address probe), so a move cannot slip between two reads of one sample unseen
 * as two holders, nor show as two by itself.
 */
final class HolderSampler {
  /** One change of an address's holders, seen at {@code millis} (Unix ms, the sample's start). */
  record Change(long millis, String address, List<String> holders) {}

  private final List<String> addresses;
  private final List<String> hosts;
  private final List<String> doubleHeld = Collections.synchronizedList(new ArrayList<>());
  private final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, List<String>> last = new HashMap<>();
  private final AtomicInteger samples = new AtomicInteger();
  private volatile boolean running;
  private Thread thread;

  HolderSampler(String address, List<String> hosts) {
    this(List.of(address), hosts);
  }

  HolderSampler(List<String> addresses, List<String> hosts) {
    this.addresses = List.copyOf(addresses);
    this.hosts = List.copyOf(hosts);
  }

  void start() {
    running = true;
    thread = new Thread(this::loop, "holder-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    thread.join(5000);
  }

  int samples() {
    return samples.get();
  }

  List<String> doubleHeld() {
    return List.copyOf(doubleHeld);
  }

  List<Change> changes() {
    return List.copyOf(changes);
  }

  /** The first sample at or after {@code fromMillis} in which {@code host} held {@code address}, or 0. */
  long firstHeld(String address, String host, long fromMillis) {
    synchronized (changes) {
      return changes.stream().filter(c -> c.millis() >= fromMillis && c.address().equals(address)
          && c.holders().contains(host)).mapToLong(Change::millis).findFirst().orElse(0);
    }
  }

  /** The first sample at or after {@code fromMillis} in which {@code host} no longer held {@code address}, or 0. */
  long firstNotHeld(String address, String host, long fromMillis) {
    synchronized (changes) {
      return changes.stream().filter(c -> c.millis() >= fromMillis && c.address().equals(address)
          && !c.holders().contains(host)).mapToLong(Change::millis).findFirst().orElse(0);
    }
  }

  private void loop() {
    while (running) {
      long t = System.nanoTime();
      long now = System.currentTimeMillis();
      Map<String, List<String>> holding = new HashMap<>();
      addresses.forEach(a -> holding.put(a, new ArrayList<>()));
      for (String h : hosts) {
        String out = addrs(h);
        for (String a : addresses) {
          if (out.contains(" " + a + "/")) {
            holding.get(a).add(h);
          }
        }
      }
      samples.incrementAndGet();
      for (String a : addresses) {
        List<String> hs = holding.get(a);
        if (hs.size() > 1) {
          doubleHeld.add(now + ": " + a + " on " + hs);
        }
        if (!hs.equals(last.get(a))) {
          last.put(a, hs);
          changes.add(new Change(now, a, List.copyOf(hs)));
        }
      }
      long sleep = 100 - (System.nanoTime() - t) / 1_000_000;
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static String addrs(String host) {
    try {
      Process p = new ProcessBuilder("ip", "-n", "bylab-" + host, "-o", "-4", "addr", "show").redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (Exception e) {
      return "";
    }
  }
}
