package io.brickyard.coordinator.nodes;

/** A node the coordinator talks to: its name and its agent's host:port. */
public record NodeAddress(String name, String host, int port) {
  public static final int DEFAULT_AGENT_PORT = 7443;

  public static NodeAddress parse(String name, String address) {
    String host = address;
    int port = DEFAULT_AGENT_PORT;
    int i = address.lastIndexOf(':');
    if (i > 0 && address.indexOf(':') == i) {
      host = address.substring(0, i);
      try {
        port = Integer.parseInt(address.substring(i + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("node " + name + ": bad port in address '" + address + "'");
      }
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("node " + name + ": empty address");
    }
    return new NodeAddress(name, host, port);
  }

  public String address() {
    return host + ":" + port;
  }
}
