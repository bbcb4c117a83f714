package io.brickyard.agent;

import io.brickyard.agent.debug.CommandLineOnlyDefaults;
import io.brickyard.agent.debug.InsecureDebugMode;
import io.brickyard.agent.metrics.NodeMetrics;
import io.brickyard.common.net.HostPort;
import io.brickyard.common.net.NettyDefaults;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.common.metrics.CertificateExpiry;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.brickyard.common.tls.TlsFiles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard-agent}: the node daemon. Options may also come from the environment
 * (BRICKYARD_AGENT_*), which is how the systemd unit's sysconfig file configures it.
 */
@Command(name = "brickyard-agent", mixinStandardHelpOptions = true, version = "brickyard-agent " + AgentMain.VERSION,
    description = "Brickyard node agent: typed, check-then-act storage operations over mTLS gRPC.",
    defaultValueProvider = CommandLineOnlyDefaults.class)
public final class AgentMain implements Callable<Integer> {
  public static final String VERSION = "0.1.0";
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  @Option(names = "--listen", defaultValue = "${env:BRICKYARD_AGENT_LISTEN:-0.0.0.0:7443}",
      description = "Address:port for gRPC (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--tls-dir", defaultValue = "${env:BRICKYARD_AGENT_TLS_DIR:-/etc/brickyard/tls}",
      description = "Directory with ca.crt, <name>.crt, <name>.key (default ${DEFAULT-VALUE}).")
  Path tlsDir;

  @Option(names = "--tls-name", defaultValue = "${env:BRICKYARD_AGENT_TLS_NAME:-node}",
      description = "Base name of this node's certificate files (default ${DEFAULT-VALUE}).")
  String tlsName;

  @Option(names = InsecureDebugMode.FLAG,
      description = "Serve WITHOUT TLS or authentication, on loopback only (127.0.0.1 unless --listen names "
          + "another loopback address). For debugging only; never taken from a sysconfig or properties file.")
  boolean insecure;

  @Spec CommandSpec spec;

  @Option(names = "--metrics-listen", defaultValue = "${env:BRICKYARD_AGENT_METRICS_LISTEN:-0.0.0.0:9464}",
      description = "Address:port for Prometheus /metrics; port 0 disables (default ${DEFAULT-VALUE}).")
  String metricsListen;

  @Option(names = "--service-backend", defaultValue = "${env:BRICKYARD_AGENT_SERVICE_BACKEND:-systemd}",
      description = "How units are managed: systemd, or lab (no systemd as PID 1; see docs/lab.md).")
  String serviceBackend;

  @Option(names = "--state-dir", defaultValue = "${env:BRICKYARD_AGENT_STATE_DIR:-/var/lib/brickyard}")
  Path stateDir;

  @Option(names = "--fstab", defaultValue = "/etc/fstab", hidden = true)
  Path fstab;

  @Option(names = "--zookeeper", defaultValue = "${env:BRICKYARD_AGENT_ZOOKEEPER:-}",
      description = "ZooKeeper members ID=ADDRESS,... (docs/ha.md): VIPs are then held only under ZooKeeper-held "
          + "ownership. Empty (default): no automatic failover on this node.")
  String zookeeper;

  @Option(names = "--node-name", defaultValue = "${env:BRICKYARD_AGENT_NODE_NAME:-}",
      description = "This node's name in ZooKeeper (default: its certificate's CN).")
  String nodeName;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    HostPort hp = listenAddress(listen, "--listen");
    HostPort mp = listenAddress(metricsListen, "--metrics-listen");
    InetSocketAddress bind = insecure ? insecureListen(hp) : new InetSocketAddress(hp.host(), hp.port());
    TlsFiles tls = insecure ? null : TlsFiles.inDir(tlsDir, tlsName).check();
    MetricsEndpoint metrics = new MetricsEndpoint("brickyard_agent");
    ProcessRunner runner = new ProcessRunner().addListener(metrics.commandListener());
    AgentContext ctx = new AgentContext(runner, ServiceBackend.named(serviceBackend, runner),
        new AgentContext.Paths(fstab, stateDir), metrics.registry());
    java.util.Optional<io.brickyard.agent.vip.VipOwnership> ownership =
        io.brickyard.agent.vip.HaStart.ownership(zookeeper, nodeName, tls, ctx);
    AgentServer server = AgentServer.start(bind, tls, ctx, metrics,
        java.util.List.of(new io.brickyard.agent.vip.VipOwnershipServiceImpl(ownership)));
    metrics.buildInfo(VERSION).beforeScrape(new NodeMetrics(ctx)::refresh);
    if (tls != null) {
      CertificateExpiry.register(metrics.registry(), tlsName, tls.cert());
      CertificateExpiry.register(metrics.registry(), "ca", tls.caCert());
    }
    metrics.serve(mp.host(), mp.port());
    if (insecure) {
      InsecureDebugMode.warnPeriodically(log::warn, "INSECURE plaintext debug mode: no TLS, no authentication, on "
          + bind + " only; never run a node like this", InsecureDebugMode.WARNING_PERIOD);
    }
    log.info("SERVING after {} ms", (System.nanoTime() - t0) / 1_000_000);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      metrics.close();
      ownership.ifPresent(io.brickyard.agent.vip.VipOwnership::close);
    }, "shutdown"));
    server.awaitTermination();
    return 0;
  }

  /** Checks, before anything starts, that the insecure mode was asked for by hand and binds loopback only (exit 2). */
  private InetSocketAddress insecureListen(HostPort hp) {
    try {
      InsecureDebugMode.refuseFromSysconfig(System.getenv());
      return InsecureDebugMode.loopbackListen(hp.host(), hp.port(),
          spec.commandLine().getParseResult().hasMatchedOption("--listen"));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The listen address of {@code option}, or a usage error (exit 2) naming the option and the bad value. */
  private HostPort listenAddress(String text, String option) {
    try {
      return HostPort.parseListen(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  public static void main(String[] args) {
    NettyDefaults.apply();
    CommandLine cl = new CommandLine(new AgentMain());
    cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
      cmd.getErr().println("brickyard-agent: " + ex.getMessage());
      log.debug("startup failure", ex);
      return 1;
    });
    System.exit(cl.execute(args));
  }
}
