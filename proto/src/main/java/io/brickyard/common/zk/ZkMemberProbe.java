package io.brickyard.common.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * Which members of the ensemble serve, and as what, from ZooKeeper's own {@code srvr} command on each
 * member's TLS client port (whitelisted by {@link ZkMemberConfig}), with the client's certificate and
 * checks. A session shows only the member it is connected to: a member that dropped out of the ensemble
 * (one stayed out for 16 minutes after its host's link was down for 6 s, docs/ha.md) is seen only by
 * asking it, and until it is back the ensemble survives no further loss.
 */
public final class ZkMemberProbe {
  /** What {@code srvr} prints while the member is not part of a serving quorum. */
  static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";
  private static final int MAX_REPLY = 64 * 1024;

  /**
   * One member's state. {@code mode} is ZooKeeper's ({@code leader}, {@code follower},
   * {@code standalone}) when it serves, else empty with {@code detail} saying why.
   */
  public record State(int id, String address, String mode, String detail) {
    public boolean serving() {
      return !mode.isEmpty();
    }
  }

  private ZkMemberProbe() {}

  /** The member's mode from its {@code srvr} reply, or empty when it does not serve. */
  static String mode(String srvrReply) {
    for (String line : srvrReply.lines().toList()) {
      if (line.startsWith("Mode: ")) {
        return line.substring("Mode: ".length()).strip();
      }
    }
    return "";
  }

  /** Asks every member at once; each answer within {@code timeout}. */
  public static List<State> probe(ZkEnsemble ensemble, ZKClientConfig tls, Duration timeout) {
    SSLContext ctx;
    try (ClientX509Util x = new ClientX509Util()) {
      ctx = x.createSSLContext(tls);
    } catch (Exception e) {
      return ensemble.members().entrySet().stream()
          .map(m -> new State(m.getKey(), m.getValue(), "", "no TLS context: " + e.getMessage())).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(ensemble.members().size(), r -> {
      Thread t = new Thread(r, "zk-member-probe");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<State>> asks = new ArrayList<>();
      for (Map.Entry<Integer, String> m : ensemble.members().entrySet()) {
        asks.add(CompletableFuture.supplyAsync(() -> ask(ctx, m.getKey(), m.getValue(), ensemble.clientPort(),
            timeout), pool));
      }
      return asks.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdownNow();
    }
  }

  private static State ask(SSLContext ctx, int id, String address, int port, Duration timeout) {
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
      s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = readAll(s.getInputStream());
      String mode = mode(reply);
      if (!mode.isEmpty()) {
        return new State(id, address, mode, "");
      }
      return new State(id, address, "", reply.contains(NOT_SERVING) ? "not in a quorum"
          : "unexpected srvr reply: " + reply.lines().findFirst().orElse("(empty)"));
    } catch (IOException e) {
      return new State(id, address, "", "unreachable: " + e.getMessage());
    }
  }

  private static String readAll(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_REPLY);
    return new String(b, StandardCharsets.UTF_8);
  }
}
