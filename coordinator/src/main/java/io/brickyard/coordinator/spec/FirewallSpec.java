package io.brickyard.coordinator.spec;

import io.brickyard.common.net.Cidr;
import java.util.List;
import java.util.Optional;

/**
 * Which sources may reach which firewalld services on every node (the recipe's rich rule
 * {@code rule family=ipv4 source address=10.130.0.0/16 service name=glusterfs accept}).
 * An empty zone means firewalld's default zone.
 */
public record FirewallSpec(Optional<String> zone, List<Cidr> trustedSources, List<String> services) {
  public static final List<String> DEFAULT_SERVICES = List.of("glusterfs");

  public FirewallSpec {
    trustedSources = List.copyOf(trustedSources);
    services = List.copyOf(services);
  }
}
