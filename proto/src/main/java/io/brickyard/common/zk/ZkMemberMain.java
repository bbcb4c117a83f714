package io.brickyard.common.zk;

import io.brickyard.common.fs.DurableFiles;
import io.brickyard.common.tls.TlsFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;

/**
 * {@code brickyard-zookeeper}: one member of Brickyard's ZooKeeper ensemble, the real server. Writes
 * {@code DATA/zoo.cfg} and {@code DATA/myid} from its arguments ({@link ZkMemberConfig}) and the combined
 * PEM key store from the host's Brickyard certificate, then runs ZooKeeper's own {@link QuorumPeerMain}
 * on that file (a single member runs standalone). It lives in the shared module so that the agent's and
 * the coordinator's packages both carry it: the production ensemble is two storage nodes plus the
 * coordinator's host (docs/ha.md).
 *
 * <pre>
 * brickyard-zookeeper --id 1 --members 1=10.77.0.11,2=10.77.0.12,3=10.77.0.1 \
 *     --data-dir /var/lib/brickyard/zookeeper --tls-dir /etc/brickyard/tls --tls-name node
 * </pre>
 */
public final class ZkMemberMain {
  private ZkMemberMain() {}

  public static void main(String[] args) throws Exception {
    Path cfg;
    try {
      cfg = prepare(args);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("brickyard-zookeeper: " + e.getMessage());
      System.exit(2);
      return;
    }
    QuorumPeerMain.main(new String[] {cfg.toString()});
  }

  /** Validates the arguments and writes the member's files; returns zoo.cfg. */
  static Path prepare(String[] args) throws IOException {
    Map<String, String> a = options(args, List.of("--id", "--members", "--data-dir", "--tls-dir", "--tls-name",
        "--client-port", "--quorum-port", "--election-port"));
    ZkEnsemble ens = ZkEnsemble.parse(required(a, "--members"),
        port(a, "--client-port", ZkEnsemble.DEFAULT_CLIENT_PORT),
        port(a, "--quorum-port", ZkEnsemble.DEFAULT_QUORUM_PORT),
        port(a, "--election-port", ZkEnsemble.DEFAULT_ELECTION_PORT));
    int id = number(required(a, "--id"), "--id");
    Path data = Path.of(a.getOrDefault("--data-dir", "/var/lib/brickyard/zookeeper")).toAbsolutePath().normalize();
    Path tlsDir = Path.of(a.getOrDefault("--tls-dir", "/etc/brickyard/tls"));
    TlsFiles tls = TlsFiles.inDir(tlsDir, a.getOrDefault("--tls-name", "node")).check();
    Files.createDirectories(data);
    Path keyStore = ZkPem.keyStore(tls, data.resolve("tls"));
    ZkMemberConfig mc = new ZkMemberConfig(ens, id, data, keyStore, tls.caCert().toAbsolutePath());
    Path cfg = data.resolve("zoo.cfg");
    DurableFiles.replace(cfg, text(mc.properties()).getBytes(StandardCharsets.UTF_8));
    DurableFiles.replace(data.resolve("myid"), (id + "\n").getBytes(StandardCharsets.US_ASCII));
    return cfg;
  }

  static String text(Properties p) {
    StringWriter w = new StringWriter();
    w.write("# Written by brickyard-zookeeper at every start from its arguments; edits are lost (docs/ha.md).\n");
    List<String> keys = new ArrayList<>(p.stringPropertyNames());
    keys.sort(null);
    for (String k : keys) {
      w.write(k + "=" + p.getProperty(k) + "\n");
    }
    return w.toString();
  }

  private static Map<String, String> options(String[] args, List<String> known) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      String v;
      int eq = k.indexOf('=');
      if (k.startsWith("--") && eq > 0) {
        v = k.substring(eq + 1);
        k = k.substring(0, eq);
      } else if (i + 1 < args.length) {
        v = args[++i];
      } else {
        throw new IllegalArgumentException(k + ": a value is needed");
      }
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown option '" + k + "' (known: " + String.join(", ", known) + ")");
      }
      m.put(k, v);
    }
    return m;
  }

  private static String required(Map<String, String> a, String k) {
    String v = a.get(k);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(k + " is required");
    }
    return v;
  }

  private static int port(Map<String, String> a, String k, int dflt) {
    return a.containsKey(k) ? number(a.get(k), k) : dflt;
  }

  private static int number(String v, String k) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(k + ": '" + v + "' is not a number");
    }
  }
}
