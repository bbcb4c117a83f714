package io.brickyard.cli.config;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.common.net.HostPort;
import io.brickyard.common.net.LocalSocket;
import io.brickyard.common.net.OwnedChannel;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
      return own(LocalSocket.connect(c.socket()));
    }
    TlsFiles tls = TlsFiles.inDir(c.tlsDir(), c.tlsName()).check();
    HostPort target;
    try {
      target = HostPort.parse(c.coordinator());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--coordinator: " + e.getMessage(), e);
    }
    EventLoopGroup loop = new NioEventLoopGroup(1);
    return own(new OwnedChannel(NettyChannelBuilder.forAddress(target.host(), target.port(), tls.channelCredentials())
        .eventLoopGroup(loop).channelType(NioSocketChannel.class).build(), loop));
  }

  /** Every channel this CLI opens has its own event loop (see {@link OwnedChannel} for why). */
  private static final Map<ManagedChannel, OwnedChannel> OWNED = new ConcurrentHashMap<>();

  private static ManagedChannel own(OwnedChannel c) {
    OWNED.put(c.channel(), c);
    return c.channel();
  }

  /** The coordinator this process last opened a channel to, for error messages (one CLI run, one target). */
  private static volatile String lastTarget;

  public static String lastTarget() {
    return lastTarget;
  }

  public CoordinatorServiceGrpc.CoordinatorServiceBlockingStub stub(ManagedChannel ch) {
    return CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
  }

  public static void close(ManagedChannel ch) {
    OwnedChannel owned = OWNED.remove(ch);
    try {
      if (owned != null) {
        owned.close();
      } else { // not opened here: no loop of ours to stop
        ch.shutdown();
        if (!ch.awaitTermination(5, TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ch.shutdownNow();
    }
  }
}
