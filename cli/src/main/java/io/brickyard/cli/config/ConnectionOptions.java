package io.brickyard.cli.config;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** Mixin: how to reach the coordinator. Every subcommand that talks to it mixes this in. */
public final class ConnectionOptions {
  @Option(names = "--coordinator", description = "Coordinator HOST:PORT (env BRICKYARD_COORDINATOR; default from config).")
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
    TlsFiles tls = TlsFiles.inDir(c.tlsDir(), c.tlsName()).check();
    int i = c.coordinator().lastIndexOf(':');
    if (i <= 0) {
      throw new IllegalArgumentException("--coordinator: expected HOST:PORT, got '" + c.coordinator() + "'");
    }
    return Grpc.newChannelBuilderForAddress(c.coordinator().substring(0, i),
        Integer.parseInt(c.coordinator().substring(i + 1)), tls.channelCredentials()).build();
  }

  public CoordinatorServiceGrpc.CoordinatorServiceBlockingStub stub(ManagedChannel ch) {
    return CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
  }

  public static void close(ManagedChannel ch) {
    ch.shutdown();
    try {
      if (!ch.awaitTermination(5, TimeUnit.SECONDS)) {
        ch.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ch.shutdownNow();
    }
  }
}
