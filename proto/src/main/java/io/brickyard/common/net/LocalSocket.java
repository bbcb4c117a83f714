package io.brickyard.common.net;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * gRPC over a Unix domain socket: the coordinator's local admin socket and the CLI's way to it.
 *
 * <p>Why it exists: the CLI is a short-lived JVM, and a call over mutual TLS spends about half of its
 * ~0.9 s building an SSL context and handshaking (docs/benchmarks.md). An admin on the coordinator's
 * own host does not need a certificate to prove who they are: the kernel already knows, and the file
 * system decides who may connect, the way the gluster CLI reaches glusterd over
 * /var/run/glusterd.socket. The socket is created 0600 inside a directory only its owner may enter,
 * so exactly the coordinator's user (root) can use it: the same people who could read the admin key
 * under /etc/brickyard/tls anyway. Remote admins keep HOST:PORT with an admin certificate.
 *
 * <p>Linux only (netty's epoll transport carries Unix sockets); {@link #available()} says whether this
 * JVM can use it.
 */
public final class LocalSocket {
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private LocalSocket() {}

  /** Whether netty's native epoll transport loaded (Linux x86_64 / aarch64). */
  public static boolean available() {
    return Epoll.isAvailable();
  }

  public static String unavailableReason() {
    Throwable t = Epoll.unavailabilityCause();
    return t == null ? "" : t.getMessage();
  }

  /** A plaintext channel to the socket at {@code path}; close it with {@link OwnedChannel#close()}. */
  public static OwnedChannel connect(Path path) {
    EventLoopGroup loop = new EpollEventLoopGroup(1);
    ManagedChannel ch = NettyChannelBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .channelType(EpollDomainSocketChannel.class).eventLoopGroup(loop).usePlaintext().build();
    return new OwnedChannel(ch, loop);
  }

  /**
   * Serves {@code services} on a socket at {@code path}. Refuses a directory that others may enter
   * (creating it 0700 when missing), a path that is not a socket, and a socket another process is
   * listening on; removes a stale socket left by a process that died.
   */
  public static Listener listen(Path path, List<ServerServiceDefinition> services) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    }
    PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
    String me = System.getProperty("user.name");
    if (!a.owner().getName().equals(me)) {
      throw new IOException("admin socket directory " + dir + " belongs to " + a.owner().getName() + ", not " + me);
    }
    Set<PosixFilePermission> others = a.permissions();
    others.removeAll(OWNER_ONLY_DIR);
    if (!others.isEmpty()) {
      throw new IOException("admin socket directory " + dir + " may be entered by others ("
          + PosixFilePermissions.toString(a.permissions()) + "); use a directory only its owner can enter (chmod 700)");
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
        throw new IOException(path + " exists and is not a socket");
      }
      if (listening(path)) {
        throw new IOException("another process is already serving " + path);
      }
      Files.delete(path); // left behind by a process that died
    }
    EventLoopGroup loop = new EpollEventLoopGroup(1);
    NettyServerBuilder b = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(loop).workerEventLoopGroup(loop);
    services.forEach(b::addService);
    Server server;
    try {
      server = b.build().start();
    } catch (IOException | RuntimeException e) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    Files.setPosixFilePermissions(path, OWNER_ONLY_FILE);
    return new Listener(server, loop, path);
  }

  /** Whether something accepts connections on the socket at {@code path}. */
  static boolean listening(Path path) {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(path));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A serving socket; {@link #close()} stops it and removes the socket file. */
  public record Listener(Server server, EventLoopGroup loop, Path path) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException, IOException {
      server.shutdown();
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
      Files.deleteIfExists(path);
    }
  }
}
