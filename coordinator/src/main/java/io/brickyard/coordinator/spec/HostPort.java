package io.brickyard.coordinator.spec;

/**
 * Where a node's agent listens (gRPC over mTLS). The port defaults to {@value #DEFAULT_PORT} so that
 * most specs only write a host name.
 */
public record HostPort(String host, int port) {
  public static final int DEFAULT_PORT = 7443;

  public HostPort {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
    }
  }

  /** "host", "host:port", "[v6]:port" or "[v6]"; throws IllegalArgumentException with the reason. */
  public static HostPort parse(String text) {
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
      return new HostPort(host, DEFAULT_PORT);
    }
    if (!port.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("'" + text + "': port " + p + " is out of range 1-65535");
    }
    return new HostPort(host, p);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
