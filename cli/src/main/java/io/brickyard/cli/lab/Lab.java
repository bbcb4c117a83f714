package io.brickyard.cli.lab;

import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.cli.config.CliConfig;
import io.brickyard.common.exec.Daemons;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.common.net.HostPort;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code brickyard lab}: a real cluster on one Linux machine. Storage hosts {@code gluster1..N} and
 * the client hosts {@code client} and {@code client2}, each its own network + mount + UTS namespace,
 * real dbus, firewalld, rpcbind and glusterd started through each host's Brickyard agent (lab
 * service backend), and the coordinator on this machine. See docs/lab.md.
 */
public final class Lab {
  static final long DISK_SIZE = 4L << 30;
  /** Units the lab brings up on every storage host, in order, through the agent's ServiceManager RPC. */
  static final List<String> UNITS = List.of("dbus", "rpcbind", "firewalld", "glusterd");
  private final LabLayout layout;
  private final ProcessRunner runner = new ProcessRunner();
  private final Sys sys = new Sys(runner);
  private final LabNetwork net;
  private final LabHostFs hostFs = new LabHostFs(sys);
  private final PrintWriter out;
  /** {@code lab up --ha}: the ZooKeeper ensemble and two coordinators ({@link LabHa}, docs/ha.md). */
  private boolean ha;

  public Lab(Path root, int nodes, PrintWriter out) {
    this.layout = LabLayout.of(root, nodes);
    this.net = new LabNetwork(sys, layout);
    this.out = out;
  }

  /** Nodes in the lab that is currently up (from its state), or {@code fallback}. */
  public Lab ha(boolean on) {
    this.ha = on;
    return this;
  }

  public static int nodesOf(Path root, int fallback) {
    String n = LabState.load(LabLayout.of(root, 0).stateFile()).get("nodes");
    return n == null ? fallback : Integer.parseInt(n);
  }

  public void up() throws IOException, InterruptedException {
    Preflight.check();
    Path agentJar = Jars.find("agent");
    Path coordinatorJar = Jars.find("coordinator");
    if (LabState.load(layout.stateFile()).exists() || !net.existingNamespaces().isEmpty()) {
      out.println("cleaning up a previous lab first");
      down();
    }
    long t0 = System.nanoTime();
    LabState st = new LabState(layout.stateFile());
    st.put("nodes", Integer.toString(layout.nodes()));
    st.put("root", layout.root().toString());
    step("certificates");
    certs();
    step("network " + layout.subnet() + " on bridge " + LabLayout.BRIDGE);
    net.createBridge();
    hostFs.prepareNsDir(layout.nsDir());
    String hostsFile = hostsFile();
    List<String> agentCds = null;
    for (LabHost h : layout.hosts()) {
      step("host " + h.name() + " (" + h.ip() + ")");
      net.createHost(h);
      st.addTo("hosts", h.name());
      hostFs.create(h, hostsFile);
      for (String d : h.disks()) {
        st.addTo("loops", hostFs.attachDisk(h, d, DISK_SIZE));
      }
      if (h.storage()) {
        Files.createDirectories(h.etc("brickyard").resolve("tls"));
        for (String f : List.of("ca.crt", h.name() + ".crt", h.name() + ".key")) {
          Files.copy(layout.tlsDir().resolve(f), h.etc("brickyard").resolve("tls").resolve(f.replace(h.name(), "node")),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        openAgentPorts(h);
        if (agentCds == null) {
          step("agent class archive (deploy/libexec/" + AgentClassArchive.SCRIPT + ", as the systemd unit does)");
          Path cdsLog = layout.logDir().resolve("agent-cds.log");
          agentCds = AgentClassArchive.prepare(runner, agentJar, Jars.AGENT_JVM, h.etc("brickyard").resolve("tls"),
              layout.root().resolve("agent-cds.args"), cdsLog);
          out.println(agentCds.isEmpty() ? "  none: agents start without it (see " + cdsLog + ")" : "  " + String.join(" ", agentCds));
        }
        Process agent = Daemons.spawn(agentCommand(h, agentJar, agentCds), layout.logDir().resolve(h.name() + "-agent.log"), Map.of());
        st.put("agent." + h.name(), Long.toString(agent.pid()));
      }
    }
    TlsFiles admin = TlsFiles.inDir(layout.tlsDir(), "admin");
    for (LabHost h : layout.hosts()) {
      if (!h.storage()) {
        continue;
      }
      ManagedChannel ch = Grpc.newChannelBuilderForAddress(h.ip(), LabLayout.AGENT_PORT, admin.channelCredentials()).build();
      try {
        ServingWait.await(ch, h.name() + " agent", layout.logDir().resolve(h.name() + "-agent.log"), null);
        for (String unit : UNITS) {
          OperationResult r = ServiceManagerServiceGrpc.newBlockingStub(ch).withDeadlineAfter(90, TimeUnit.SECONDS)
              .ensureService(EnsureServiceRequest.newBuilder().setUnit(unit).setRunning(true).setEnabled(true).build());
          out.printf("  %-9s %-10s %s%n", h.name(), unit, r.getSummary());
          out.flush();
        }
        // after firewalld, as the unit's After= has it: connections opened before it are unknown to its
        // conntrack, and the firewall refuses their packets after a link flap (docs/ha.md)
        if (ha && LabHa.memberId(layout, h) > 0) {
          Process zk = Daemons.spawn(Sys.in(h, LabHa.memberCommand(agentJar, layout, LabHa.memberId(layout, h),
              Path.of("/var/lib/brickyard/zookeeper"), Path.of("/etc/brickyard/tls"), "node").toArray(String[]::new)),
              layout.logDir().resolve(h.name() + "-zookeeper.log"), Map.of());
          st.put("zookeeper." + h.name(), Long.toString(zk.pid()));
        }
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (ha) {
      step("ZooKeeper member 3 on " + LabHa.bridgeIp(layout) + " (ensemble " + LabHa.members(layout) + ")");
      Process zk = Daemons.spawn(LabHa.memberCommand(coordinatorJar, layout, 3, layout.root().resolve("zookeeper"),
          layout.tlsDir(), "coordinator"), layout.logDir().resolve("zookeeper.log"), Map.of());
      st.put("zookeeper", Long.toString(zk.pid()));
    }
    Path nodesConf = writeNodesConf(layout);
    LabStandby standby = ha ? new LabStandby(layout) : null;
    if (ha) {
      step("host " + LabStandby.NAME + " (" + standby.host().ip() + ") for the standby coordinator");
      standby.create(net, hostFs, st, hostsFile, nodesConf);
    }
    step("coordinator on " + LabLayout.COORDINATOR_LISTEN);
    List<String> cmd = new ArrayList<>(List.of(Jars.java()));
    cmd.addAll(Jars.COORDINATOR_JVM);
    cmd.addAll(List.of("-jar", coordinatorJar.toString(), "--listen", LabLayout.COORDINATOR_LISTEN,
        "--tls-dir", layout.tlsDir().toString(), "--tls-name", "coordinator",
        "--state-dir", layout.coordinatorDir().toString(), "--metrics-listen", LabLayout.COORDINATOR_METRICS,
        "--admin-socket", layout.adminSocket().toString()));
    if (ha) {
      cmd.addAll(List.of("--zookeeper", LabHa.members(layout), "--coordinator-id", "coordinator1"));
    }
    Process coord = Daemons.spawn(cmd, layout.logDir().resolve("coordinator.log"), Map.of());
    st.put("coordinator", Long.toString(coord.pid()));
    HostPort api = HostPort.parse(LabLayout.COORDINATOR_LISTEN);
    ManagedChannel ch = Grpc.newChannelBuilderForAddress(api.host(), api.port(), admin.channelCredentials()).build();
    try {
      ServingWait.await(ch, "coordinator", layout.logDir().resolve("coordinator.log"), coord);
      if (ha) {
        out.println("  " + LabHa.awaitLeader(ch, layout.logDir().resolve("coordinator.log")) + " leads");
      }
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (ha) {
      step("standby coordinator " + LabStandby.ID + " on " + LabStandby.listen(layout) + " in " + LabStandby.NAME);
      Process coord2 = standby.start(coordinatorJar, LabHa.members(layout));
      st.put("coordinator2", Long.toString(coord2.pid()));
      HostPort api2 = HostPort.parse(LabStandby.listen(layout));
      ManagedChannel ch2 = Grpc.newChannelBuilderForAddress(api2.host(), api2.port(), admin.channelCredentials()).build();
      try {
        ServingWait.await(ch2, LabStandby.ID, standby.log(), coord2);
      } finally {
        ch2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    writeCliConfig();
    st.put("up", "true");
    out.printf("lab up: %d storage hosts + clients %s in %.1f s; try 'brickyard nodes'%n", layout.nodes(),
        LabLayout.CLIENTS.stream().map(Map.Entry::getKey).collect(java.util.stream.Collectors.joining(", ")),
        (System.nanoTime() - t0) / 1e9);
    out.flush();
  }

  private void step(String what) {
    out.println("- " + what);
    out.flush();
  }

  /**
   * The lab's CA lives in its own directory ({@link LabLayout#caDir()}), as on a real cluster: the
   * coordinator's TLS directory and the hosts' /etc/brickyard/tls only receive ca.crt and their own pair.
   */
  private void certs() throws IOException {
    CertAuthority ca = CertAuthority.init(layout.caDir(), "lab", Duration.ofDays(30));
    // the bridge address too: with --ha this machine's ZooKeeper member is dialled there (docs/ha.md)
    ca.issue(layout.tlsDir(), "coordinator", Role.COORDINATOR, List.of("localhost", "127.0.0.1",
        LabHa.bridgeIp(layout)), Duration.ofDays(30));
    ca.issue(layout.tlsDir(), "admin", Role.ADMIN, List.of(), Duration.ofDays(30));
    if (ha) { // the standby's host: its address is what the CLI dials and the ZooKeeper members see
      ca.issue(layout.tlsDir(), LabStandby.ID, Role.COORDINATOR, List.of(LabStandby.host(layout).ip()), Duration.ofDays(30));
    }
    for (LabHost h : layout.hosts()) {
      if (h.storage()) {
        ca.issue(layout.tlsDir(), h.name(), Role.NODE, List.of(h.ip()), Duration.ofDays(30));
      }
    }
  }

  private String hostsFile() {
    StringBuilder sb = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    for (LabHost h : layout.hosts()) {
      sb.append(h.ip()).append('\t').append(h.name()).append('\n');
    }
    if (ha) {
      sb.append(LabStandby.host(layout).ip()).append('\t').append(LabStandby.NAME).append('\n');
    }
    return sb.toString();
  }

  /**
   * firewalld's default zone would block the agent once firewalld starts. As the RPM does with
   * its firewalld service file, the lab installs brickyard-agent.xml and allows it in the default
   * zone before firewalld first starts (a zone file in the host's own /etc/firewalld).
   */
  private void openAgentPorts(LabHost h) throws IOException {
    openAgentPorts(h.etc("firewalld"), ha);
  }

  /**
   * Writes brickyard-agent.xml (and with {@code ha} brickyard-zookeeper.xml) and a default zone
   * allowing them into {@code fw}, a host's /etc/firewalld. Also used by the VM tier's two-guest
   * recipe test (docs/vm-tier.md), whose guests run firewalld with the same files.
   */
  public static void openAgentPorts(Path fw, boolean ha) throws IOException {
    LabHostFs.writeFile(fw.resolve("services/brickyard-agent.xml"), agentFirewalldService());
    if (ha) {
      LabHostFs.writeFile(fw.resolve("services/brickyard-zookeeper.xml"), LabHa.firewalldService());
    }
    LabHostFs.writeFile(fw.resolve("zones/public.xml"), """
        <?xml version="1.0" encoding="utf-8"?>
        <zone>
          <short>Public</short>
          <description>Lab host default zone: ssh, dhcpv6-client and the Brickyard agent only.</description>
          <service name="ssh"/>
          <service name="dhcpv6-client"/>
          <service name="brickyard-agent"/>
        %s</zone>
        """.formatted(ha ? "  <service name=\"brickyard-zookeeper\"/>\n" : ""));
  }

  /** The firewalld service file; identical to deploy/firewalld/brickyard-agent.xml (DeployFilesMatchLabTest). */
  static String agentFirewalldService() {
    return """
        <?xml version="1.0" encoding="utf-8"?>
        <service>
          <short>Brickyard agent</short>
          <description>Brickyard node agent: gRPC over mutual TLS, and Prometheus metrics.</description>
          <port protocol="tcp" port="%d"/>
          <port protocol="tcp" port="%d"/>
        </service>
        """.formatted(LabLayout.AGENT_PORT, LabLayout.AGENT_METRICS_PORT);
  }

  private List<String> agentCommand(LabHost h, Path agentJar, List<String> cds) {
    List<String> cmd = new ArrayList<>(List.of(Jars.java()));
    cmd.addAll(Jars.AGENT_JVM);
    cmd.addAll(cds);
    cmd.addAll(List.of("-jar", agentJar.toString(), "--listen", "0.0.0.0:" + LabLayout.AGENT_PORT,
        "--metrics-listen", "0.0.0.0:" + LabLayout.AGENT_METRICS_PORT, "--tls-dir", "/etc/brickyard/tls",
        "--tls-name", "node", "--service-backend", "lab"));
    if (ha) {
      cmd.addAll(List.of("--zookeeper", LabHa.members(layout)));
    }
    return Sys.in(h, cmd.toArray(String[]::new));
  }

  /**
   * The coordinator's node list, written through {@link NodeRegistry} so that its format is defined
   * once; the lab's storage hosts only (an earlier lab's list is replaced, not merged).
   */
  static Path writeNodesConf(LabLayout layout) throws IOException {
    Path file = layout.coordinatorDir().resolve("nodes.conf");
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    new NodeRegistry(file).putAll(layout.hosts().stream().filter(LabHost::storage)
        .map(h -> new NodeAddress(h.name(), h.ip(), LabLayout.AGENT_PORT)).toList());
    return file;
  }

  /** With --ha, {@code coordinator=} lists both coordinators: with mTLS the CLI asks them who leads (docs/ha.md). */
  private void writeCliConfig() throws IOException {
    LabHostFs.writeFile(CliConfig.userConfigFile(), "# written by brickyard lab up; removed by lab down\nlab=true\n"
        + "socket=" + layout.adminSocket() + "\ncoordinator=" + LabLayout.COORDINATOR_LISTEN
        + (ha ? "," + LabStandby.listen(layout) : "") + "\ntlsDir=" + layout.tlsDir() + "\ntlsName=admin\n");
  }

  /** Tears everything down; safe to run twice and after a crash. */
  public void down() throws IOException, InterruptedException {
    LabState st = LabState.load(layout.stateFile());
    for (String key : List.of("coordinator", "coordinator2", "zookeeper")) {
      String pid = st.get(key);
      if (pid != null) {
        terminate(List.of(Long.parseLong(pid)));
      }
    }
    List<Long> pids = new ArrayList<>();
    for (String ns : net.existingNamespaces()) {
      pids.addAll(net.pidsIn(ns));
    }
    terminate(pids);
    hostFs.release(layout.nsDir());
    for (String loop : loopsUnder(layout.root())) {
      sys.run("losetup", "-d", loop);
    }
    net.deleteAll();
    Path cfg = CliConfig.userConfigFile();
    if (Files.exists(cfg) && Files.readString(cfg).contains("lab=true")) {
      Files.delete(cfg);
    }
    deleteTree(layout.root());
    List<String> left = leftovers();
    if (!left.isEmpty()) {
      throw new LabException("lab down could not remove: " + String.join("; ", left));
    }
    out.println("lab down: no lab processes, namespaces, mounts or loop devices left");
    out.flush();
  }

  /** What of a lab still exists on this machine: namespaces, loop devices, namespace mounts, processes. */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    for (String ns : net.existingNamespaces()) {
      left.add("network namespace " + ns + " (pids " + net.pidsIn(ns) + ")");
    }
    for (String loop : loopsUnder(layout.root())) {
      left.add("loop device " + loop);
    }
    if (sys.run("ip", "link", "show", LabLayout.BRIDGE).ok()) {
      left.add("bridge " + LabLayout.BRIDGE);
    }
    for (String line : sys.run("findmnt", "-rn", "-o", "TARGET").stdout().split("\n")) {
      if (line.startsWith(layout.nsDir().getParent().toString()) || line.startsWith(layout.root().toString())) {
        left.add("mount " + line);
      }
    }
    return left;
  }

  /** Loop devices whose backing file is under the lab directory (from losetup's own list). */
  List<String> loopsUnder(Path root) {
    List<String> out = new ArrayList<>();
    String json = sys.run("losetup", "--json", "--list").stdout();
    if (json.isBlank()) {
      return out;
    }
    var arr = com.google.gson.JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("loopdevices");
    for (var e : arr) {
      var o = e.getAsJsonObject();
      String back = o.has("back-file") && !o.get("back-file").isJsonNull() ? o.get("back-file").getAsString() : "";
      if (back.startsWith(root.toString() + "/")) {
        out.add(o.get("name").getAsString());
      }
    }
    return out;
  }

  private static void terminate(List<Long> pids) throws InterruptedException {
    List<ProcessHandle> live = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(h -> {
        h.destroy();
        live.add(h);
      });
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : live) {
      while (h.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
