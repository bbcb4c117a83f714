package io.brickyard.coordinator.nodes;

import io.brickyard.common.net.HostPort;

/** A node the coordinator talks to: its name and its agent's host:port. */
public record NodeAddress(String name, String host, int port) {
  public static final int DEFAULT_AGENT_PORT = HostPort.AGENT_PORT;

  public static NodeAddress parse(String name, String address) {
    try {
      HostPort hp = HostPort.parse(address, DEFAULT_AGENT_PORT);
      return new NodeAddress(name, hp.host(), hp.port());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node " + name + ": " + e.getMessage(), e);
    }
  }

  public String address() {
    return new HostPort(host, port).toString();
  }
}
