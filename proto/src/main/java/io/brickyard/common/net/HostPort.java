package io.brickyard.common.net;

/**
 * A HOST:PORT address, parsed and printed in one place for every process (agent and coordinator
 * listen options, the CLI's --coordinator, the spec's and nodes.conf's agent addresses), so that
 * IPv6 brackets, the port range and the error messages are the same everywhere.
 *
 * <p>Port 0 ("any free port") is representable because a listen address may ask for it; addresses
 * to connect to are parsed with {@link #parse(String, int)} or {@link #parse(String)}, which refuse it.
 */
public record HostPort(String host, int port) {
  /** The agent's gRPC port, the default wherever an agent address may omit the port. */
  public static final int AGENT_PORT = 7443;

  /** Marks "no default": the text must carry a port. */
  private static final int REQUIRED = -1;

  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  /**
   * "host", "host:port", "[v6]:port" or "[v6]", the port defaulting to {@code defaultPort};
   * throws IllegalArgumentException with the reason, naming the bad text.
   */
  public static HostPort parse(String text, int defaultPort) {
    return parse(text, defaultPort, 1);
  }

  /** "host:port" or "[v6]:port": an address to connect to, with the port written out. */
  public static HostPort parse(String text) {
    return parse(text, REQUIRED, 1);
  }

  /** An address to listen on: like {@link #parse(String)}, but port 0 (any free port) is allowed. */
  public static HostPort parseListen(String text) {
    return parse(text, REQUIRED, 0);
  }

  private static HostPort parse(String text, int defaultPort, int minPort) {
    String t = text.trim();
    String host;
    String port = null;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
        }
        port = rest.substring(1);
      }
    } else {
      int colons = (int) t.chars().filter(c -> c == ':').count();
      if (colons > 1) {
        throw new IllegalArgumentException("'" + text + "': write IPv6 addresses in brackets, e.g. [fd00::1]:7443");
      }
      int c = t.indexOf(':');
      host = c < 0 ? t : t.substring(0, c);
      port = c < 0 ? null : t.substring(c + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "': the host is empty");
    }
    if (port == null) {
      if (defaultPort == REQUIRED) {
        throw new IllegalArgumentException("'" + text + "': expected HOST:PORT");
      }
      return new HostPort(host, defaultPort);
    }
    if (!port.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
    }
    int p = Integer.parseInt(port);
    if (p < minPort || p > 65535) {
      throw new IllegalArgumentException("'" + text + "': port " + p + " is out of range " + minPort + "-65535");
    }
    return new HostPort(host, p);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
