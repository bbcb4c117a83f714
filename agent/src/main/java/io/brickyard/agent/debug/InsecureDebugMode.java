package io.brickyard.agent.debug;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code --insecure-plaintext-debug-only}: the agent serves without TLS and without any
 * authentication, so whoever reaches the port can format disks as root. Hence the mode is bounded
 * on every side: it binds loopback only (a wildcard listen address becomes 127.0.0.1, any other
 * address is refused at start), it is only ever taken from a command line typed by hand (never
 * from the unit's sysconfig arguments nor from a picocli defaults file), calls from any peer that
 * is not loopback are refused, and it says so in the log every minute while it runs.
 */
public final class InsecureDebugMode {
  public static final String FLAG = "--insecure-plaintext-debug-only";
  /** The unit passes this sysconfig variable on the agent's command line. */
  public static final String SYSCONFIG_ARGS = "BRICKYARD_AGENT_ARGS";
  public static final Duration WARNING_PERIOD = Duration.ofMinutes(1);

  private InsecureDebugMode() {}

  /**
   * The address to bind in this mode: {@code host} if it is a loopback address, 127.0.0.1 if it is
   * the wildcard and {@code explicit} is false (the built-in or sysconfig default); otherwise
   * refused with an {@link IllegalArgumentException} naming the option.
   */
  public static InetSocketAddress loopbackListen(String host, int port, boolean explicit) {
    InetAddress a;
    try {
      a = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw refusal(host, port);
    }
    if (a.isAnyLocalAddress() && !explicit) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
    if (!a.isLoopbackAddress()) {
      throw refusal(host, port);
    }
    return new InetSocketAddress(a, port);
  }

  /** Refuses to bind anything but loopback without TLS (the server's own last check). */
  public static void requireLoopback(InetSocketAddress listen) {
    if (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress()) {
      throw refusal(listen.getHostString(), listen.getPort());
    }
  }

  private static IllegalArgumentException refusal(String host, int port) {
    return new IllegalArgumentException("--listen " + host + ":" + port + ": " + FLAG
        + " serves without TLS or authentication and binds loopback only (127.0.0.1:PORT or [::1]:PORT)");
  }

  /** Refuses the flag when it comes from the unit's sysconfig file ({@value #SYSCONFIG_ARGS}). */
  public static void refuseFromSysconfig(Map<String, String> env) {
    String args = env.getOrDefault(SYSCONFIG_ARGS, "");
    if (Arrays.stream(args.trim().split("\\s+")).anyMatch(a -> a.startsWith(FLAG))) {
      throw new IllegalArgumentException(FLAG + " was found in " + SYSCONFIG_ARGS
          + " (the sysconfig file): it is only taken from a command line typed by hand");
    }
  }

  /** Logs {@code warning} now and then every {@code period} until the returned executor is shut down. */
  public static ScheduledExecutorService warnPeriodically(Consumer<String> warn, String warning, Duration period) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "insecure-mode-warning");
      t.setDaemon(true);
      return t;
    });
    s.scheduleAtFixedRate(() -> warn.accept(warning), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return s;
  }
}
