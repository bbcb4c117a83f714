package io.brickyard.common.net;

/** Netty settings every Brickyard process applies first thing in main(), before netty's classes load. */
public final class NettyDefaults {
  static final String JFR = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private NettyDefaults() {}

  /**
   * Netty's buffer allocator reports allocations as JFR events whenever the JDK has JFR; at start-up
   * that initialises JFR and generates an event handler class per event type: ~0.1 s on every CLI
   * call here (class-load log: 99 jdk.jfr classes, runtime-defined handlers CDS cannot archive), for
   * events nobody records. An explicit -D setting still wins.
   */
  public static void apply() {
    if (System.getProperty(JFR) == null) {
      System.setProperty(JFR, "false");
    }
  }
}
