package io.brickyard.coordinator.spec;

import io.brickyard.common.net.Cidr;
import java.util.Optional;

/**
 * A virtual IP NFS clients mount: it lives on its home node unless moved.
 *
 * @param address the address with its link's prefix, "10.0.0.100/24" (host bits set, by nature)
 * @param home the NFS node that holds it normally
 * @param networkInterface the interface to put it on; empty = the one whose subnet contains it
 */
public record VipSpec(Cidr address, String home, Optional<String> networkInterface) {
  /** The bare address, "10.0.0.100". */
  public String ip() {
    return address.address();
  }
}
