package io.brickyard.agent.vip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between a ZooKeeper client and server that can be frozen: nothing passes in either
 * direction and no connection is refused or reset, which is what a partition looks like to both ends
 * (unlike a stopped server, which resets at once). {@link #reset()} instead cuts every connection, as a
 * killed member does.
 */
final class FreezableProxy implements AutoCloseable {
  private final ServerSocket listen;
  private final int upstreamPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;
  private volatile boolean closed;

  FreezableProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listen = new ServerSocket();
    listen.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread t = new Thread(this::acceptLoop, "proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listen.getLocalPort();
  }

  void freeze(boolean f) {
    frozen = f;
  }

  void reset() throws IOException {
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException e) {
        // already closed by its other end
      }
    }
    open.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket c = listen.accept();
        open.add(c);
        Thread t = new Thread(() -> connect(c), "proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void connect(Socket c) {
    try {
      while (frozen && !closed) {
        Thread.sleep(10);
      }
      Socket up = new Socket("127.0.0.1", upstreamPort);
      open.add(up);
      pump(c, up);
      pump(up, c);
    } catch (IOException | InterruptedException e) {
      close(c);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          while (frozen && !closed) {
            Thread.sleep(10);
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // connection over
      } finally {
        close(from);
        close(to);
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listen.close();
    reset();
  }
}
