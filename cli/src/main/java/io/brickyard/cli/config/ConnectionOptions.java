package io.brickyard.cli.config;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.common.net.LocalSocket;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Mixin: how to reach the coordinator. Every subcommand that talks to it mixes this in. */
public final class ConnectionOptions {
  @Option(names = "--coordinator", description = "Coordinator HOST:PORT (mTLS) or unix:PATH (its local admin socket); "
      + "env BRICKYARD_COORDINATOR; default: the local socket when it exists, else from config.")
  String coordinator;

  @Option(names = "--tls-dir", description = "Directory with ca.crt and the admin certificate (env BRICKYARD_TLS_DIR).")
  Path tlsDir;

  @Option(names = "--tls-name", description = "Base name of the admin certificate files (default admin).")
  String tlsName;

  @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for the coordinator (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  public long timeoutSeconds() {
    return timeoutSeconds;
  }

  public CliConfig config() {
    return CliConfig.resolve(coordinator, tlsDir, tlsName, System.getenv());
  }

  /** Opens a channel; the caller closes it with {@link #close(ManagedChannel)}. */
  public ManagedChannel open() {
    CliConfig c = config();
    lastTarget = c.target();
    if (c.local()) {
      if (!LocalSocket.available()) {
        throw new IllegalArgumentException("cannot use " + c.target() + ": Unix sockets need netty's epoll transport ("
            + LocalSocket.unavailableReason() + "); use --coordinator HOST:PORT");
      }
      LocalSocket.Client client = LocalSocket.connect(c.socket());
      LOOPS.put(client.channel(), client.loop());
      return client.channel();
    }
    TlsFiles tls = TlsFiles.inDir(c.tlsDir(), c.tlsName()).check();
    int i = c.coordinator().lastIndexOf(':');
    if (i <= 0) {
      throw new IllegalArgumentException("--coordinator: expected HOST:PORT, got '" + c.coordinator() + "'");
    }
    EventLoopGroup loop = new NioEventLoopGroup(1);
    ManagedChannel ch = NettyChannelBuilder.forAddress(c.coordinator().substring(0, i),
            Integer.parseInt(c.coordinator().substring(i + 1)), tls.channelCredentials())
        .eventLoopGroup(loop).channelType(NioSocketChannel.class).build();
    LOOPS.put(ch, loop);
    return ch;
  }

  /**
   * The channel's own event loop, shut down with it. With gRPC's shared loop, its thread sits in
   * epoll_wait (native code) when the CLI exits, and the JVM's exit waits ~300 ms for threads in
   * native code before it gives up (seen in strace: 30 x 10 ms futex waits before exit_group):
   * a third of a second on every command, for nothing.
   */
  private static final Map<ManagedChannel, EventLoopGroup> LOOPS = new ConcurrentHashMap<>();

  /** The coordinator this process last opened a channel to, for error messages (one CLI run, one target). */
  private static volatile String lastTarget;

  public static String lastTarget() {
    return lastTarget;
  }

  public CoordinatorServiceGrpc.CoordinatorServiceBlockingStub stub(ManagedChannel ch) {
    return CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
  }

  public static void close(ManagedChannel ch) {
    ch.shutdown();
    EventLoopGroup loop = LOOPS.remove(ch);
    try {
      if (!ch.awaitTermination(5, TimeUnit.SECONDS)) {
        ch.shutdownNow();
      }
      if (loop != null) {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ch.shutdownNow();
    }
  }
}
