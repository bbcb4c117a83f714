package io.brickyard.common.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/** Whether an address belongs to this host (its network namespace): on any interface, up or down. */
public final class LocalAddresses {
  private LocalAddresses() {}

  /** {@code ip} is an IP literal; a literal that cannot be read or looked up counts as not local. */
  public static boolean isLocal(String ip) {
    byte[] raw = IpAddress.parse(ip);
    if (raw == null) {
      return false;
    }
    try {
      InetAddress a = InetAddress.getByAddress(raw);
      return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }
}
