package io.brickyard.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples which lab hosts hold an address, every 100 ms, with ip(8) in each host's network
 * namespace (not through Brickyard), and records every sample in which two hosts held it. The hosts
 * of one sample are read one after the other, a few milliseconds apart; a move takes longer than
 * that (its release is confirmed before the add, which waits for a duplicate address probe), so a
 * move cannot slip between two reads of one sample unseen as two holders, nor show as two by itself.
 */
final class HolderSampler {
  private final String address;
  private final List<String> hosts;
  private final List<String> doubleHeld = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger samples = new AtomicInteger();
  private volatile boolean running;
  private Thread thread;

  HolderSampler(String address, List<String> hosts) {
    this.address = address;
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

  private void loop() {
    while (running) {
      long t = System.nanoTime();
      List<String> holding = new ArrayList<>();
      for (String h : hosts) {
        if (holds(h)) {
          holding.add(h);
        }
      }
      samples.incrementAndGet();
      if (holding.size() > 1) {
        doubleHeld.add(System.currentTimeMillis() + ": " + address + " on " + holding);
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

  private boolean holds(String host) {
    try {
      Process p = new ProcessBuilder("ip", "-n", "bylab-" + host, "-o", "-4", "addr", "show").redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.contains(" " + address + "/");
    } catch (Exception e) {
      return false;
    }
  }
}
