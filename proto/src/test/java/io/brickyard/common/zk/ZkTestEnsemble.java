package io.brickyard.common.zk;

import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real ZooKeeper ensemble for tests: each member is its own JVM running {@link ZkMemberMain} (the
 * launcher the systemd unit runs) on 127.0.0.N, with certificates of a fresh cluster CA. Separate
 * processes because ZooKeeper's server reads its TLS settings from JVM-wide system properties.
 */
public final class ZkTestEnsemble implements AutoCloseable {
  public final Path dir;
  public final CertAuthority ca;
  public final ZkEnsemble ensemble;
  private final Map<Integer, Process> members = new TreeMap<>();

  public ZkTestEnsemble(Path dir, int size) throws IOException {
    this.dir = dir;
    this.ca = CertAuthority.init(dir.resolve("ca"), "test-ca", Duration.ofDays(2));
    Map<Integer, String> m = new TreeMap<>();
    for (int i = 1; i <= size; i++) {
      m.put(i, "127.0.0." + i);
      ca.issue(dir.resolve("member" + i), "zk" + i, Role.NODE, List.of("127.0.0." + i), Duration.ofDays(1));
    }
    int[] ports = freePorts(3);
    this.ensemble = new ZkEnsemble(m, ports[0], ports[1], ports[2]);
  }

  /** A client certificate of {@code role} named {@code name}, its files in its own directory. */
  public TlsFiles client(String name, Role role) throws IOException {
    Path d = dir.resolve("client-" + name);
    ca.issue(d, name, role, List.of(), Duration.ofDays(1));
    return TlsFiles.inDir(d, name);
  }

  public void startAll() throws IOException {
    for (int id : ensemble.members().keySet()) {
      start(id);
    }
  }

  public void start(int id) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), ZkMemberMain.class.getName(),
        "--id", Integer.toString(id), "--members", ensemble.toString(),
        "--client-port", Integer.toString(ensemble.clientPort()),
        "--quorum-port", Integer.toString(ensemble.quorumPort()),
        "--election-port", Integer.toString(ensemble.electionPort()),
        "--data-dir", dir.resolve("data" + id).toString(),
        "--tls-dir", dir.resolve("member" + id).toString(), "--tls-name", "zk" + id));
    Path log = dir.resolve("member" + id + ".log");
    members.put(id, new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
  }

  /** SIGKILL, as a member's host dying would. */
  public void kill(int id) throws InterruptedException {
    Process p = members.remove(id);
    if (p != null) {
      p.destroyForcibly().waitFor();
    }
  }

  public String log(int id) throws IOException {
    Path log = dir.resolve("member" + id + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    for (int id : new ArrayList<>(members.keySet())) {
      kill(id);
    }
  }

  static int[] freePorts(int n) throws IOException {
    int[] out = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        held.add(s);
        out[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return out;
  }
}
