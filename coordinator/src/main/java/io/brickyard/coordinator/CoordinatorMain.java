package io.brickyard.coordinator;

import io.brickyard.common.net.HostPort;
import io.brickyard.common.net.NettyDefaults;
import io.brickyard.common.metrics.CertificateExpiry;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.brickyard.coordinator.metrics.ApplyMetrics;
import io.brickyard.coordinator.metrics.ClusterMetrics;
import io.brickyard.common.tls.RevocationList;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.RoleAuthorizer;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.apply.Applier;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.snapshot.SnapshotScheduler;
import io.brickyard.coordinator.snapshot.SnapshotWorkflow;
import io.brickyard.coordinator.vip.VipMover;
import io.brickyard.coordinator.vip.VipMoveWorkflow;
import io.brickyard.coordinator.apply.ApplyWorkflow;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.plan.Planner;
import io.brickyard.coordinator.server.CoordinatorServiceImpl;
import io.brickyard.coordinator.server.LeaderOnly;
import io.brickyard.coordinator.status.StatusCollector;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.brickyard.common.net.LocalSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code brickyard-coordinator}: serves the CLI (over mTLS to admin certificates, and to root on this
 * host over its local admin socket) and drives the agents with its own coordinator certificate.
 */
@Command(name = "brickyard-coordinator", mixinStandardHelpOptions = true, version = "brickyard-coordinator " + CoordinatorMain.VERSION,
    description = "Brickyard coordinator: plans and applies the cluster spec through the node agents.")
public final class CoordinatorMain implements Callable<Integer> {
  public static final String VERSION = "0.1.0";
  private static final Logger log = LoggerFactory.getLogger(CoordinatorMain.class);

  @Option(names = "--listen", defaultValue = "${env:BRICKYARD_COORDINATOR_LISTEN:-127.0.0.1:7444}",
      description = "Address:port for the CLI API (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--admin-socket", defaultValue = "${env:BRICKYARD_COORDINATOR_ADMIN_SOCKET:-/run/brickyard-coordinator/coordinator.sock}",
      description = "Unix socket for the CLI on this host (root only, no certificate); 'none' turns it off (default ${DEFAULT-VALUE}).")
  String adminSocket;

  @Option(names = "--tls-dir", defaultValue = "${env:BRICKYARD_COORDINATOR_TLS_DIR:-/etc/brickyard/tls}")
  Path tlsDir;

  @Option(names = "--tls-name", defaultValue = "${env:BRICKYARD_COORDINATOR_TLS_NAME:-coordinator}")
  String tlsName;

  @Option(names = "--state-dir", defaultValue = "${env:BRICKYARD_COORDINATOR_STATE_DIR:-/var/lib/brickyard-coordinator}",
      description = "Node list and apply journal (default ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--metrics-listen", defaultValue = "${env:BRICKYARD_COORDINATOR_METRICS_LISTEN:-127.0.0.1:9465}")
  String metricsListen;

  @Option(names = "--metrics-refresh", defaultValue = "30s", converter = DurationConverter.class,
      description = "How often the cluster metrics (nodes, peers, volumes, bricks, heal) are collected from the agents;"
          + " 0 turns it off (default ${DEFAULT-VALUE}).")
  Duration metricsRefresh;

  @Option(names = "--agent-deadline", defaultValue = "5s", converter = DurationConverter.class,
      description = "Deadline for reachability and facts calls to agents (default ${DEFAULT-VALUE}).")
  Duration agentDeadline;

  @Option(names = "--plan-deadline", defaultValue = "60s", converter = DurationConverter.class,
      description = "Deadline for each dry-run call while planning (default ${DEFAULT-VALUE}).")
  Duration planDeadline;

  @Option(names = "--zookeeper", defaultValue = "${env:BRICKYARD_COORDINATOR_ZOOKEEPER:-}",
      description = "ZooKeeper members ID=ADDRESS,... for automatic failover (docs/ha.md); empty (default): off.")
  String zookeeper;

  @Option(names = "--coordinator-id", defaultValue = "${env:BRICKYARD_COORDINATOR_ID:-}",
      description = "This coordinator's name in the leader election (default: the host name).")
  String coordinatorId;

  @Option(names = "--advertise", defaultValue = "${env:BRICKYARD_COORDINATOR_ADVERTISE:-}",
      description = "HOST:PORT at which the CLI reaches this coordinator's API, published in the leader election so that "
          + "the CLI finds the leader (default: the --listen address, or this host's name and the port when it listens "
          + "on every address). Its certificate must carry that host.")
  String advertise;

  /**
   * The address published in the election: {@code --advertise}, else {@code --listen} unless that is a
   * wildcard (0.0.0.0, ::), which nobody can dial: then the host's name.
   */
  static String advertised(String advertise, HostPort listen, java.util.function.Supplier<String> hostName) {
    if (advertise != null && !advertise.isBlank()) {
      try {
        return HostPort.parse(advertise).toString();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--advertise: " + e.getMessage(), e);
      }
    }
    boolean wildcard = listen.host().equals("0.0.0.0") || listen.host().equals("::") || listen.host().equals("*");
    return new HostPort(wildcard ? hostName.get() : listen.host(), listen.port()).toString();
  }

  @Override
  public Integer call() throws Exception {
    TlsFiles tls = TlsFiles.inDir(tlsDir, tlsName).check();
    MetricsEndpoint metrics = new MetricsEndpoint("brickyard_coordinator");
    NodeRegistry registry = new NodeRegistry(stateDir.resolve("nodes.conf"));
    Pools pools = Pools.standard();
    tls.strayCaKey().ifPresent(k -> log.warn("{} lies beside the coordinator's key: whoever can read this host's TLS "
        + "directory can mint admin certificates; keep it only in the CA directory (docs/security.md)", k));
    RevocationList revoked = tls.revocationList();
    AgentClients clients = new AgentClients(tls.channelCredentials(revoked)); // a revoked node key cannot pose as an agent
    Journal journal = new Journal(stateDir);
    HealthStatusManager health = new HealthStatusManager();
    HostPort hp = HostPort.parseListen(listen);
    io.brickyard.coordinator.vip.OwnedVips owned = new io.brickyard.coordinator.vip.OwnedVips();
    CoordinatorServiceImpl api = service(registry, clients, journal, pools, agentDeadline, planDeadline,
        new ApplyMetrics(metrics.registry()), owned);
    metrics.buildInfo(VERSION);
    CertificateExpiry.register(metrics.registry(), tlsName, tls.cert());
    CertificateExpiry.register(metrics.registry(), "ca", tls.caCert());
    // the host name only when needed: a host whose name does not resolve must still start with explicit options
    java.util.function.Supplier<String> hostName = () -> {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("this host's name does not resolve (" + e.getMessage()
            + "): give --coordinator-id and --advertise", e);
      }
    };
    String advertised = advertised(advertise, hp, hostName);
    String id = coordinatorId.isBlank() ? hostName.get() : coordinatorId;
    if (!zookeeper.isBlank()) {
      io.brickyard.coordinator.failover.Election.participantId(id, advertised); // a bad id fails before anything listens
    }
    api.election(io.brickyard.coordinator.failover.Election.off(advertised));
    var election = new java.util.concurrent.atomic.AtomicReference<io.brickyard.coordinator.failover.Election>();
    LeaderOnly leaderOnly = new LeaderOnly(!zookeeper.isBlank(), election);
    Server server = startApi(new InetSocketAddress(hp.host(), hp.port()), tls, revoked, api, health,
        metrics.rpcInterceptor(), leaderOnly);
    LocalSocket.Listener local = listenLocally(api, health, metrics, leaderOnly);
    java.util.Optional<io.brickyard.coordinator.failover.FailoverStart> failover =
        io.brickyard.coordinator.failover.FailoverStart.start(zookeeper, id, advertised, tls, stateDir,
            clients, registry, journal, metrics.registry(), agentDeadline);
    failover.ifPresent(f -> {
      api.election(f.election());
      election.set(f.election());
    });
    failover.ifPresent(f -> api.workflow().onSuccess(f::applied));
    failover.ifPresent(f -> owned.attach(f.zk())); // apply's and vip move's moves mark themselves for the leader
    SnapshotScheduler snapshots = api.snapshots().scheduler(metrics.registry())
        .persistIn(stateDir.resolve("snapshot-schedules.yaml"));
    api.workflow().onSuccess(snapshots::applied);
    java.util.concurrent.ScheduledExecutorService ticks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Pools.daemon("snapshot-schedules"));
    ticks.scheduleWithFixedDelay(() -> {
      try {
        snapshots.tick().lines().forEach(l -> log.info("snapshot schedule: {}", l));
      } catch (RuntimeException e) {
        log.error("snapshot schedules: {}", e.toString());
      }
    }, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    pools.read().execute(WarmUp::run);
    HostPort mp = HostPort.parseListen(metricsListen);
    metrics.serve(mp.host(), mp.port());
    StatusCollector collector = new StatusCollector(clients, pools.read(), agentDeadline);
    ClusterMetrics cluster = new ClusterMetrics(() -> collector.collect(registry.all(), null), metrics.registry());
    if (mp.port() > 0 && !metricsRefresh.isZero()) {
      cluster.start(metricsRefresh);
    }
    log.info("coordinator listening on {} (mTLS){}, {} nodes known", listen,
        local == null ? "" : " and " + local.path() + " (local admins)", registry.all().size());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      health.enterTerminalState();
      server.shutdown();
      try {
        if (local != null) {
          local.close();
        }
        server.awaitTermination(10, TimeUnit.SECONDS);
        clients.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        log.warn("could not remove {}: {}", adminSocket, e.getMessage());
      }
      cluster.close();
      pools.close();
      metrics.close();
      failover.ifPresent(f -> {
        try {
          f.close();
        } catch (Exception e) {
          log.warn("closing failover: {}", e.toString());
        }
      });
    }, "shutdown"));
    server.awaitTermination();
    return 0;
  }

  /**
   * The CLI's API over the network: mutual TLS, where only admin certificates that the cluster CA
   * has not revoked get in (refused in the handshake, and on every call for connections opened
   * before a revocation).
   */
  static Server startApi(InetSocketAddress listen, TlsFiles tls, RevocationList revoked, BindableService api,
      HealthStatusManager health, ServerInterceptor metrics) throws IOException {
    return startApi(listen, tls, revoked, api, health, metrics, new LeaderOnly(false, null));
  }

  /** The same, with {@code leaderOnly} refusing changes on a coordinator that does not lead (after the role check). */
  public static Server startApi(InetSocketAddress listen, TlsFiles tls, RevocationList revoked, BindableService api,
      HealthStatusManager health, ServerInterceptor metrics, LeaderOnly leaderOnly) throws IOException {
    return NettyServerBuilder.forAddress(listen, tls.serverCredentials(revoked))
        .addService(ServerInterceptors.intercept(api, leaderOnly, new RoleAuthorizer(revoked, Role.ADMIN), metrics))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build().start();
  }

  /**
   * The service and its capabilities, wired to the two pools (see {@link Pools} for why two): the
   * apply steps on one, every read (probes, dry runs, status) on the other.
   */
  public static CoordinatorServiceImpl service(NodeRegistry registry, AgentClients clients, Journal journal, Pools pools,
      Duration agentDeadline, Duration planDeadline) {
    return service(registry, clients, journal, pools, agentDeadline, planDeadline, null);
  }

  /** The same, telling {@code metrics} (null: nobody) about every plan and apply. */
  public static CoordinatorServiceImpl service(NodeRegistry registry, AgentClients clients, Journal journal, Pools pools,
      Duration agentDeadline, Duration planDeadline, ApplyMetrics metrics) {
    return service(registry, clients, journal, pools, agentDeadline, planDeadline, metrics,
        new io.brickyard.coordinator.vip.OwnedVips());
  }

  /** The same; {@code owned} gets this coordinator's ZooKeeper session once failover has started. */
  public static CoordinatorServiceImpl service(NodeRegistry registry, AgentClients clients, Journal journal, Pools pools,
      Duration agentDeadline, Duration planDeadline, ApplyMetrics metrics, io.brickyard.coordinator.vip.OwnedVips owned) {
    Planner planner = new Planner(clients, pools.read(), agentDeadline, planDeadline, owned);
    ClusterLock lock = new ClusterLock();
    VipMover mover = new VipMover(clients, planDeadline, owned);
    ApplyWorkflow workflow = new ApplyWorkflow(planner, new Applier(clients, pools.apply()), journal, registry, lock);
    if (metrics != null) {
      planner.onPlan(metrics::planned);
      workflow.onOutcome(metrics::applied);
    }
    CoordinatorServiceImpl api = new CoordinatorServiceImpl(registry, new NodeProbe(clients, pools.read(), agentDeadline),
        planner, workflow, journal, new StatusCollector(clients, pools.read(), agentDeadline),
        new VipMoveWorkflow(mover, journal, lock),
        new SnapshotWorkflow(clients, journal, lock, planDeadline, java.time.Clock.systemUTC()));
    api.brickReplace(new io.brickyard.coordinator.day2.BrickReplaceWorkflow(clients, journal, lock, planDeadline));
    api.day2(new io.brickyard.coordinator.day2.BrickRemoveWorkflow(clients, journal, lock, planDeadline),
        new io.brickyard.coordinator.day2.NodeRetireWorkflow(clients, journal, lock, planDeadline));
    api.volumeDelete(new io.brickyard.coordinator.day2.VolumeDeleteWorkflow(clients, journal, lock, planDeadline));
    api.heal(new io.brickyard.coordinator.day2.HealReader(clients, registry::all, agentDeadline));
    return api;
  }

  /**
   * The admin socket for the CLI on this host (see {@link LocalSocket} for why and who may use it):
   * the same API without the admin-certificate check, as the file system already limits it to root.
   */
  private LocalSocket.Listener listenLocally(CoordinatorServiceImpl api, HealthStatusManager health,
      MetricsEndpoint metrics, LeaderOnly leaderOnly) throws IOException {
    if (adminSocket.isBlank() || "none".equals(adminSocket)) {
      return null;
    }
    if (!LocalSocket.available()) {
      log.warn("no admin socket: Unix sockets need netty's epoll transport ({}); the CLI must use --coordinator HOST:PORT",
          LocalSocket.unavailableReason());
      return null;
    }
    return LocalSocket.listen(Path.of(adminSocket), List.of(
        ServerInterceptors.intercept(api, leaderOnly, metrics.rpcInterceptor()), health.getHealthService().bindService()));
  }

  /** "5s", "500ms", "2m". */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    }
  }

  public static void main(String[] args) {
    NettyDefaults.apply();
    CommandLine cl = new CommandLine(new CoordinatorMain());
    cl.setExecutionExceptionHandler((ex, cmd, parse) -> {
      // the reason must reach the log before System.exit: a lab run saw exit status 1 with no line
      ex.printStackTrace(cmd.getErr());
      cmd.getErr().println("brickyard-coordinator: " + ex.getMessage());
      cmd.getErr().flush();
      return 1;
    });
    System.exit(cl.execute(args));
  }
}
