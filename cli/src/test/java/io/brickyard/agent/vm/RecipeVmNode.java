package io.brickyard.agent.vm;

import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ServiceManagerServiceGrpc;
import io.brickyard.cli.CliRun;
import io.brickyard.cli.lab.Jars;
import io.brickyard.cli.lab.Lab;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.Daemons;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs INSIDE each of the two guests of {@link RecipeVmTest}: one node of examples/recipe.yaml.
 * Both guests: the node's address on its NIC (found by MAC), /etc/hosts naming both nodes, a fresh
 * /etc/fstab and glusterd state, the lab's firewalld files (agent port in the default zone), the
 * node's certificate, then the real agent daemon ({@code AgentMain}, mTLS, {@code --service-backend
 * lab}: it owns the daemons, glusterd being started by apply). Guest {@code gluster1} also runs the
 * real coordinator daemon, starts each node's boot services ({@link #BOOT_UNITS}) through its agent
 * as {@code lab up} does, and runs the CLI (in this JVM, as {@link CliRun} runs it): plan, apply,
 * apply again. Each guest then saves what lvs, xfs_info, findmnt, /etc/fstab and the
 * gluster CLI say into its out share; the host test judges. The two guests meet through files in
 * a shared 9p directory ({@code brickyardsync}): gluster1 writes {@code applied} after the second
 * apply, both read at the same time, each writes {@code collected-NAME}, and neither powers off
 * before both have (so each one's peer status sees the other connected).
 */
public final class RecipeVmNode {
  static final int AGENT_PORT = 7443;
  static final String COORDINATOR = "127.0.0.1:7444";
  private static final Path SYNC = Path.of("/brickyard-sync");
  private final ProcessRunner runner = new ProcessRunner();
  private final VmSteps out = new VmSteps(runner);
  private final Path outDir;
  private final Properties p;

  private RecipeVmNode(Path outDir, Properties p) {
    this.outDir = outDir;
    this.p = p;
  }

  public static void main(String[] args) throws Exception {
    Path outDir = Path.of(System.getProperty("brickyard.vm.out"));
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(outDir.resolve("guest.properties"))) {
      p.load(r);
    }
    new RecipeVmNode(outDir, p).run();
    VmSteps.emit("done", Map.of());
  }

  private String name() {
    return p.getProperty("name");
  }

  private boolean driver() {
    return Boolean.parseBoolean(p.getProperty("driver"));
  }

  private void run() throws Exception {
    long t0 = System.nanoTime();
    node();
    Files.createDirectories(SYNC);
    out.command("sync-share", Command.of("mount", "-t", "9p", "-o", "trans=virtio,version=9p2000.L", "brickyardsync", SYNC.toString()));
    Process agent = Daemons.spawn(java(Jars.AGENT_JVM, "io.brickyard.agent.AgentMain", "--listen", "0.0.0.0:" + AGENT_PORT,
        "--metrics-listen", "0.0.0.0:9464", "--tls-dir", "/etc/brickyard/tls", "--tls-name", "node", "--service-backend", "lab"),
        outDir.resolve("agent.log"), Map.of());
    VmSteps.emit("agent-spawned", Map.of("pid", agent.pid(), "millis", ms(t0)));
    if (driver()) {
      drive(t0);
      touch("applied");
    } else {
      await("applied", Duration.ofMinutes(12));
    }
    // Both read at once; neither powers off before the other has read (peer status needs both up).
    collect();
    touch("collected-" + name());
    for (String other : p.getProperty("nodes").split(",")) {
      await("collected-" + other, Duration.ofMinutes(4));
    }
    keepLogs();
  }

  /** gluster1: the coordinator daemon, then the CLI against it, as an admin would run it. */
  private void drive(long t0) throws Exception {
    Path state = Files.createDirectories(Path.of("/var/lib/brickyard-coordinator"));
    Files.deleteIfExists(state.resolve("nodes.conf"));
    List<NodeAddress> nodes = new ArrayList<>();
    for (String n : p.getProperty("nodes").split(",")) {
      nodes.add(new NodeAddress(n, n, AGENT_PORT));
    }
    new NodeRegistry(state.resolve("nodes.conf")).putAll(nodes);
    // Each node's boot services as soon as its agent serves (gluster2's while gluster1 still starts
    // its JVMs): dbus, and firewalld, enabled at boot on the recipe's CentOS servers.
    ExecutorService boot = Executors.newFixedThreadPool(nodes.size());
    try {
      List<Future<?>> booted = new ArrayList<>();
      for (NodeAddress n : nodes) {
        booted.add(boot.submit(() -> {
          listening(n.name() + " agent", n.host(), AGENT_PORT, Duration.ofMinutes(8));
          for (String unit : BOOT_UNITS) {
            service(n, unit);
          }
          return null;
        }));
      }
      // The coordinator is needed only at plan time: started once this node's agent serves, its JVM
      // start overlaps firewalld's instead of slowing the agent's (one emulated CPU is the limit).
      listening("local agent", "127.0.0.1", AGENT_PORT, Duration.ofMinutes(8));
      Process coordinator = Daemons.spawn(java(Jars.COORDINATOR_JVM, "io.brickyard.coordinator.CoordinatorMain", "--listen", COORDINATOR,
          "--tls-dir", "/etc/brickyard/tls", "--tls-name", "coordinator", "--state-dir", state.toString(),
          "--metrics-listen", "127.0.0.1:9465", "--admin-socket", "/run/brickyard-coordinator/coordinator.sock"),
          outDir.resolve("coordinator.log"), Map.of());
      VmSteps.emit("coordinator-spawned", Map.of("pid", coordinator.pid(), "millis", ms(t0)));
      listening("coordinator", "127.0.0.1", 7444, Duration.ofMinutes(3));
      for (Future<?> f : booted) {
        f.get();
      }
    } finally {
      boot.shutdownNow();
    }
    String spec = p.getProperty("spec");
    cli("plan", "plan", "-f", spec);
    cli("apply", "apply", "-f", spec, "--yes", "--progress", "plain");
    cli("apply-again", "apply", "-f", spec, "--yes", "--progress", "plain");
    VmSteps.emit("driven", Map.of("millis", ms(t0)));
  }

  /**
   * What a booted server of the recipe runs before Brickyard is asked anything: the system bus (no
   * plan step starts it: systemd hosts always have it) and firewalld (enabled at boot on CentOS; the
   * recipe's firewalld step then finds it running, and its rich-rule step adds the rule). Without
   * systemd the agent's lab backend owns the daemons, so they are started as {@code lab up} starts
   * them: the agent's EnsureService RPC, over mTLS with the admin certificate. Under TCG firewalld
   * takes about a minute to start (docs/vm-tier.md); started here, that minute overlaps the other
   * guest's JVM starts instead of sitting on apply's critical path.
   */
  static final List<String> BOOT_UNITS = List.of("dbus", "firewalld");

  /**
   * EnsureService, idempotent (check-then-act), so retried while the channel is UNAVAILABLE: seen
   * once, "Network closed for unknown reason" after 35 s, when the first mTLS handshake of this JVM
   * ran while gluster1's three JVMs were starting on its one emulated CPU. Bounded; every attempt
   * is reported.
   */
  private static void service(NodeAddress n, String unit) throws InterruptedException {
    TlsFiles admin = TlsFiles.inDir(Path.of("/etc/brickyard/tls"), "admin");
    long start = System.nanoTime();
    List<String> unavailable = new ArrayList<>();
    while (true) {
      ManagedChannel ch = Grpc.newChannelBuilderForAddress(n.host(), AGENT_PORT, admin.channelCredentials()).build();
      try {
        OperationResult r = ServiceManagerServiceGrpc.newBlockingStub(ch).withDeadlineAfter(240, TimeUnit.SECONDS)
            .ensureService(EnsureServiceRequest.newBuilder().setUnit(unit).setRunning(true).setEnabled(true).build());
        VmSteps.emit(unit + "-" + n.name(), Map.of("changed", r.getChanged(), "summary", r.getSummary(), "millis", ms(start),
            "unavailable", unavailable));
        return;
      } catch (StatusRuntimeException e) {
        String why = e.getStatus().getCode().name() + " " + e.getStatus().getDescription();
        if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE && unavailable.size() < 4) {
          unavailable.add(why + " after " + ms(start) + " ms");
          continue;
        }
        VmSteps.emit(unit + "-" + n.name(), Map.of("error", e.getStatus().getCode().name(),
            "message", String.valueOf(e.getStatus().getDescription()), "millis", ms(start), "unavailable", unavailable));
        return;
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** One CLI command in this JVM; its output is kept in the out share as NAME.txt and printed on the console. */
  private void cli(String check, String... args) throws IOException {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--coordinator", COORDINATOR, "--tls-dir", "/etc/brickyard/tls", "--tls-name", "admin"));
    long start = System.nanoTime();
    CliRun r = CliRun.of(a.toArray(String[]::new));
    Files.writeString(outDir.resolve(check + ".txt"), r.out() + (r.err().isEmpty() ? "" : "\n--- stderr\n" + r.err()));
    System.out.println(r.out());
    System.out.println(r.err());
    VmSteps.emit(check, Map.of("exit", r.code(), "millis", ms(start)));
  }

  /** What the lab tests read on a lab host, read here independently of Brickyard. */
  private void collect() throws IOException {
    read("lvs.json", "lvs", "--reportformat", "json", "-o", "lv_name,vg_name,pool_lv,lv_attr,lv_size,lv_tags,data_percent");
    read("xfs-vol1.txt", "xfs_info", "/gluster/vol1/brick1");
    read("xfs-vol2.txt", "xfs_info", "/gluster/vol2/brick1");
    read("findmnt.json", "findmnt", "-J", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS", "-t", "xfs");
    read("fstab", "cat", "/etc/fstab");
    read("volume-info.xml", "gluster", "--mode=script", "--xml", "volume", "info");
    read("peer-status.xml", "gluster", "--mode=script", "--xml", "peer", "status");
    read("brick-dirs.txt", "ls", "-ld", "/gluster/vol1/brick1/brick", "/gluster/vol2/brick1/brick");
    read("rich-rules.txt", "firewall-cmd", "--list-rich-rules");
  }

  private void read(String file, String... argv) throws IOException {
    CommandResult r = out.command("read-" + file, Command.of(argv).withTimeout(Duration.ofSeconds(120)));
    Files.writeString(outDir.resolve(file), r.stdout());
  }

  /** Address, names, fstab, glusterd and agent state, firewalld files and the certificate. */
  private void node() throws Exception {
    String nic = nicWithMac(p.getProperty("mac"));
    out.command("lo-up", Command.of("ip", "link", "set", "lo", "up"));
    out.command("addr", Command.of("ip", "addr", "add", p.getProperty("address") + "/16", "dev", nic));
    out.command("link-up", Command.of("ip", "link", "set", nic, "up"));
    Files.writeString(Path.of("/etc/hosts"), "127.0.0.1 localhost\n" + p.getProperty("hosts").replace(";", "\n") + "\n");
    Files.writeString(Path.of("/etc/hostname"), name() + "\n");
    out.command("hostname", Command.of("hostname", name()));
    Files.writeString(Path.of("/etc/fstab"), "# /etc/fstab of vm-tier guest " + name() + "\n");
    Files.deleteIfExists(Path.of("/etc/fstab.brickyard.bak"));
    // The guest's /var/lib is the host's (overlay copy): a copied glusterd.info would give both
    // guests the host's UUID, and peer probe would refuse.
    out.command("fresh-state", Command.of("rm", "-rf", "/var/lib/glusterd", "/var/log/glusterfs", "/var/lib/brickyard",
        "/var/lib/brickyard-coordinator", "/var/log/brickyard", "/etc/brickyard", "/gluster"));
    GuestGluster.hideGsyncd();
    Lab.openAgentPorts(Path.of("/etc/firewalld"), false);
    Path tls = Files.createDirectories(Path.of("/etc/brickyard/tls"));
    try (Stream<Path> s = Files.list(outDir.resolve("tls"))) {
      for (Path f : s.toList()) {
        Files.copy(f, tls.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    out.command("tls-mode", Command.of("chmod", "-R", "go-rwx", tls.toString()));
  }

  private static String nicWithMac(String mac) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      for (Path n : s.toList()) {
        Path a = n.resolve("address");
        if (Files.exists(a) && Files.readString(a).strip().equalsIgnoreCase(mac)) {
          return n.getFileName().toString();
        }
      }
    }
    throw new IllegalStateException("no NIC with MAC " + mac + " in /sys/class/net");
  }

  private static List<String> java(List<String> jvm, String main, String... args) {
    List<String> a = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    a.addAll(jvm);
    a.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
    a.addAll(List.of(args));
    return a;
  }

  /** Waits until host:port accepts TCP (the daemon's JVM has started and bound it); reports how long. */
  private static void listening(String what, String host, int port, Duration max) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    long nextNote = start + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 2000);
        VmSteps.emit("listening-" + what.replace(' ', '-'), Map.of("millis", ms(start)));
        return;
      } catch (IOException e) {
        if (System.nanoTime() > nextNote) {
          System.out.println("BRICKYARD-VM-WAIT " + what + " not listening yet after " + ms(start) / 1000 + " s: " + e.getMessage());
          nextNote += Duration.ofSeconds(30).toNanos();
        }
        Thread.sleep(1000);
      }
    }
    VmSteps.emit("listening-" + what.replace(' ', '-'), Map.of("error", "not listening within " + max.toSeconds() + " s"));
  }

  private static void touch(String flag) throws IOException {
    Files.writeString(SYNC.resolve(flag), "done\n");
  }

  /**
   * Waits for the other guest's flag file, printing a line every 30 s (a silent console would look
   * like a stall to the host's watchdog); bounded, and reported either way.
   */
  private static void await(String flag, Duration max) throws InterruptedException {
    long start = System.nanoTime();
    long nextNote = start + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(SYNC.resolve(flag))) {
      if (System.nanoTime() - start > max.toNanos()) {
        VmSteps.emit("await-" + flag, Map.of("error", "no " + flag + " within " + max.toSeconds() + " s"));
        return;
      }
      if (System.nanoTime() > nextNote) {
        System.out.println("BRICKYARD-VM-WAIT for " + flag + " since " + ms(start) / 1000 + " s");
        nextNote += Duration.ofSeconds(30).toNanos();
      }
      Thread.sleep(1000);
    }
    VmSteps.emit("await-" + flag, Map.of("millis", ms(start)));
  }

  private void keepLogs() {
    Map<String, String> copies = new LinkedHashMap<>();
    copies.put("/var/log/glusterfs/glusterd.log", "glusterd.log");
    copies.put("/var/log/firewalld", "firewalld.log");
    // the lab service backend's daemon output (docs/lab.md)
    for (String unit : List.of("dbus", "firewalld", "glusterd")) {
      copies.put("/var/log/brickyard/" + unit + ".out", unit + ".out");
    }
    for (Map.Entry<String, String> c : copies.entrySet()) {
      try {
        if (Files.exists(Path.of(c.getKey()))) {
          Files.copy(Path.of(c.getKey()), outDir.resolve(c.getValue()), StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        VmSteps.emit("keep-" + c.getValue(), Map.of("error", e.toString()));
      }
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
