package io.brickyard.cli.config;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.api.coordinator.v1.LeaderRequest;
import io.brickyard.common.net.HostPort;
import io.brickyard.common.net.LocalSocket;
import io.brickyard.common.net.OwnedChannel;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Mixin: how to reach the coordinator. Every subcommand that talks to it mixes this in. */
public final class ConnectionOptions {
  @Option(names = "--coordinator", description = "Coordinator HOST:PORT (mTLS), a list HOST:PORT,HOST:PORT of an HA "
      + "cluster's coordinators (the CLI talks to the one that leads), or unix:PATH (its local admin socket); "
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

  /** With several coordinators, how long each may take to say who leads before the next is asked. */
  static final long ASK_SECONDS = 5;

  /**
   * Opens a channel to the coordinator that leads; the caller closes it with {@link #close(ManagedChannel)}.
   * This is the one place where the CLI finds the leader (docs/ha.md, "Which coordinator the CLI talks to"):
   * it asks the configured coordinator(s), in order, who leads ({@code Leader}: one round trip, answered
   * from ZooKeeper) and talks to the first one that answers, or to the leader it names at the address the
   * leader advertised. Reads could be served by any coordinator, but each coordinator has its own journal,
   * so every command goes to the leader and `history` shows the leader's. When no leader is known (no
   * election, or ZooKeeper out of reach) the coordinator that answered serves: reads work, and it refuses
   * changes saying why. A coordinator too old for {@code Leader} (UNIMPLEMENTED) is used as it is.
   */
  public ManagedChannel open() {
    CliConfig c = config();
    if (c.local()) {
      ManagedChannel ch = openSocket(c);
      lastTarget = c.target();
      try {
        return toLeader(c, c.target(), ch, ask(ch, timeoutSeconds), true);
      } catch (StatusRuntimeException e) {
        return ch; // the command's own call fails as it always did, with the usual message
      }
    }
    List<String> candidates = c.coordinators();
    candidates.forEach(ConnectionOptions::parse); // every address is checked before anything is dialled
    for (String t : candidates) {
      ManagedChannel ch = openTls(c, t);
      lastTarget = t;
      HaView v;
      try {
        v = ask(ch, candidates.size() == 1 ? timeoutSeconds : Math.min(ASK_SECONDS, timeoutSeconds));
      } catch (StatusRuntimeException e) {
        if (candidates.size() == 1) {
          return ch; // the command's own call fails as it always did, with the usual message
        }
        close(ch);
        continue;
      }
      return toLeader(c, t, ch, v, false);
    }
    lastTarget = String.join(",", candidates); // nobody answered: the command's call reports it, naming them all
    return openTls(c, candidates.get(0));
  }

  /** The coordinator's answer, or null for one that predates the election (it then serves as it is). */
  private static HaView ask(ManagedChannel ch, long seconds) {
    try {
      return CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(seconds, TimeUnit.SECONDS)
          .leader(LeaderRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return null;
      }
      throw e;
    }
  }

  /** {@code ch} when it leads or no other leader is known, else a channel to the leader it names. */
  private ManagedChannel toLeader(CliConfig c, String asked, ManagedChannel ch, HaView v, boolean local) {
    if (v == null || !v.getEnabled() || v.getSelfLeads() || v.getLeaderAddress().isEmpty()
        || v.getLeaderId().equals(v.getSelfId())) {
      return ch;
    }
    ManagedChannel leader;
    try {
      leader = openTls(c, v.getLeaderAddress());
    } catch (TlsFiles.TlsConfigException | IllegalArgumentException e) {
      if (local) {
        return ch; // root on a standby's host without an admin certificate: reads here; changes are refused naming the leader
      }
      throw e;
    }
    close(ch);
    lastTarget = v.getLeaderAddress() + " (" + v.getLeaderId() + ", the leader according to " + asked + ")";
    return leader;
  }

  private static HostPort parse(String address) {
    try {
      return HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--coordinator: " + e.getMessage(), e);
    }
  }

  private static ManagedChannel openSocket(CliConfig c) {
    if (!LocalSocket.available()) {
      throw new IllegalArgumentException("cannot use " + c.target() + ": Unix sockets need netty's epoll transport ("
          + LocalSocket.unavailableReason() + "); use --coordinator HOST:PORT");
    }
    return own(LocalSocket.connect(c.socket()));
  }

  private static ManagedChannel openTls(CliConfig c, String address) {
    TlsFiles tls = TlsFiles.inDir(c.tlsDir(), c.tlsName()).check();
    HostPort target = parse(address);
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
