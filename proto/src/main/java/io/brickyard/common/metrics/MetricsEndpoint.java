package io.brickyard.common.metrics;

import com.sun.net.httpserver.HttpServer;
import io.brickyard.common.exec.CommandResult;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Prometheus {@code /metrics} for a daemon, served by the JDK's built-in HTTP server (no web
 * framework for one read-only endpoint), plus the two hooks every daemon uses: a gRPC interceptor
 * timing each RPC by method and status, and a listener timing each external command.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String prefix;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private HttpServer http;

  public MetricsEndpoint(String prefix) {
    this.prefix = prefix;
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Runs {@code refresh} before every scrape, on the scraping thread: gauges that read the node
   * (thin pools, brick filesystems) are brought up to date only when someone asks, so an agent
   * nobody scrapes runs no commands for metrics. A refresh that throws is logged by its owner;
   * the scrape still answers with the last values.
   */
  public MetricsEndpoint beforeScrape(Runnable refresh) {
    beforeScrape.add(refresh);
    return this;
  }

  /** The body of /metrics: every before-scrape refresh, then the registry's text exposition. */
  public String scrape() {
    for (Runnable r : beforeScrape) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // a refresh must never break the endpoint: its gauges keep their last values
      }
    }
    return registry.scrape();
  }

  /**
   * {@code <prefix>_build_info{version}} = 1, the Prometheus convention for "which version runs
   * where" (join it onto other series with {@code * on(instance) group_left(version)}).
   */
  public MetricsEndpoint buildInfo(String version) {
    // An Info metric of the Prometheus client itself: a Micrometer gauge named *_info loses the
    // suffix (the client reserves it for info metrics).
    io.prometheus.metrics.core.metrics.Info.builder().name(prefix + "_build_info")
        .help("Always 1; the version label says which Brickyard build this daemon runs")
        .labelNames("version", "java_version")
        .register(registry.getPrometheusRegistry())
        .setLabelValues(version, System.getProperty("java.version", ""));
    return this;
  }

  /** Serves /metrics on host:port; port 0 disables the endpoint. */
  public MetricsEndpoint serve(String host, int port) throws IOException {
    if (port <= 0) {
      return this;
    }
    http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.createContext("/metrics", ex -> {
      byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    });
    http.start();
    return this;
  }

  public int port() {
    return http == null ? 0 : http.getAddress().getPort();
  }

  /** Times every external command: {@code <prefix>_command_seconds{command,outcome}}. */
  public Consumer<CommandResult> commandListener() {
    return r -> Timer.builder(prefix + "_command")
        .description("External commands run, by program and outcome")
        .tag("command", programName(r.command().argv().get(0)))
        .tag("outcome", r.timedOut() ? "timeout" : r.exitCode() == 0 ? "ok" : "error")
        .register(registry)
        .record(r.duration().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Times every RPC: {@code <prefix>_rpc_seconds{method,code}}. */
  public ServerInterceptor rpcInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getFullMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            Timer.builder(prefix + "_rpc")
                .description("gRPC calls served, by method and status code")
                .tag("method", method)
                .tag("code", status.getCode().name())
                .register(registry)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        }, headers);
      }
    };
  }

  private static String programName(String argv0) {
    int slash = argv0.lastIndexOf('/');
    return slash >= 0 ? argv0.substring(slash + 1) : argv0;
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    registry.close();
  }
}
