package io.brickyard.coordinator.failover;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Whether an address's NFS service accepts a TCP connection, the first thing any client does. The
 * leader asks it of every held VIP ({@link EarlyGrace}): a holder whose link or machine is gone stops
 * answering seconds before its ZooKeeper session expires.
 */
@FunctionalInterface
interface NfsPortProbe {
  /** Ganesha's NFS port: Brickyard leaves ganesha's NFS_Port at its default (GaneshaConfigText sets none). */
  int NFS_PORT = 2049;

  boolean answers(String ip);

  /** A TCP connect to {@code ip}:2049 within {@code timeout}, closed at once; no NFS call is made. */
  static NfsPortProbe tcp(Duration timeout) {
    return ip -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(ip), NFS_PORT), Math.toIntExact(timeout.toMillis()));
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }
}
