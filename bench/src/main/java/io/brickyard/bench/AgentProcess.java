package io.brickyard.bench;

import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real agent process (the shaded jar, started exactly as the systemd unit does, with mTLS),
 * plus the clock from spawn to the first SERVING health check. The TCP port is polled before the
 * gRPC channel is created, so gRPC's reconnect back-off (1 s) never inflates the measurement.
 */
final class AgentProcess implements AutoCloseable {
  private static final Pattern SERVING_LOG = Pattern.compile("SERVING after (\\d+) ms");
  private final Process process;
  private final Path log;
  private final int port;
  private final long spawnedAt;
  private ManagedChannel channel;

  private AgentProcess(Process process, Path log, int port, long spawnedAt) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.spawnedAt = spawnedAt;
  }

  static AgentProcess start(Path jar, List<String> jvm, Path tlsDir, Path work, String tag) throws IOException {
    int port = freePort();
    int metricsPort = freePort();
    Files.createDirectories(work.resolve("state"));
    Path log = work.resolve("agent-" + tag + ".log");
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElse("java"));
    argv.addAll(jvm);
    argv.addAll(List.of("-jar", jar.toString(), "--listen", "127.0.0.1:" + port,
        "--metrics-listen", "127.0.0.1:" + metricsPort, "--tls-dir", tlsDir.toString(), "--tls-name", "node",
        "--state-dir", work.resolve("state").toString()));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    return new AgentProcess(p, log, port, t0);
  }

  /** Blocks until grpc.health.v1 Check says SERVING over mTLS; returns nanoseconds since spawn. */
  long awaitServing(TlsFiles client) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!accepts()) {
      checkAlive(deadline);
      Thread.sleep(2);
    }
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, client.channelCredentials()).build();
    while (true) {
      try {
        ServingStatus s = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        if (s == ServingStatus.SERVING) {
          return System.nanoTime() - spawnedAt;
        }
      } catch (StatusRuntimeException e) {
        // not ready yet: retry below
      }
      checkAlive(deadline);
      Thread.sleep(2);
    }
  }

  /** Waits for the agent's own "SERVING" log line without connecting (no client, no handshake). */
  void awaitLogServing() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (selfReportedMs() < 0) {
      checkAlive(deadline);
      Thread.sleep(10);
    }
  }

  ManagedChannel channel() {
    return channel;
  }

  long pid() {
    return process.pid();
  }

  /** VmRSS from /proc/PID/status, in kB. */
  long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for pid " + process.pid());
  }

  /** The agent's own "SERVING after N ms" (JVM already booted: main() to listening), or -1. */
  long selfReportedMs() throws IOException {
    Matcher m = SERVING_LOG.matcher(Files.readString(log));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void checkAlive(long deadline) throws IOException {
    if (!process.isAlive() || System.nanoTime() > deadline) {
      throw new IOException("agent did not become SERVING (alive=" + process.isAlive() + "); log "
          + log + ":\n" + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM (which also writes a -XX:ArchiveClassesAtExit archive), then SIGKILL after 60 s. */
  @Override
  public void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
