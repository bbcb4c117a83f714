package io.brickyard.agent.dbus;

import io.brickyard.common.exec.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one way the agent talks D-Bus: systemd's {@code busctl} (a small C program, a few ms a call,
 * present on RHEL and Debian alike) on the system bus, replies as JSON ({@link BusctlJson}).
 * Used for firewalld and NFS-Ganesha. {@code --auto-start=no}: a call never starts a daemon
 * through D-Bus activation; a daemon that is not running is reported as such by the caller.
 */
public final class Busctl {
  /** What a runner reports for a program that is not installed (also nsenter's exit code). */
  public static final int NOT_INSTALLED = 127;
  private static final Duration TIMEOUT = Duration.ofSeconds(40);

  private Busctl() {}

  /** {@code busctl --system --json=short --auto-start=no --timeout=30 ARGS...}. */
  public static Command command(String... args) {
    List<String> a = new ArrayList<>(List.of("busctl", "--system", "--json=short", "--auto-start=no", "--timeout=30"));
    a.addAll(Arrays.asList(args));
    return Command.of(a).withTimeout(TIMEOUT);
  }

  /** {@code call DEST PATH IFACE METHOD [SIGNATURE ARGS...]}. */
  public static Command call(String dest, String path, String iface, String method, String... sigAndArgs) {
    List<String> a = new ArrayList<>(List.of("call", dest, path, iface, method));
    a.addAll(Arrays.asList(sigAndArgs));
    return command(a.toArray(String[]::new));
  }
}
