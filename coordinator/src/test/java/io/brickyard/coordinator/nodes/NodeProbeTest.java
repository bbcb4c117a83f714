package io.brickyard.coordinator.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that accepts TCP but never answers (a hung node) and a closed port (a dead node) are
 * both reported unreachable with a reason, each within the deadline, in parallel.
 */
class NodeProbeTest {
  @TempDir Path dir;

  @Test
  void deadAndHungAgentsAreReportedWithinTheDeadline() throws Exception {
    CertAuthority.init(dir, "t", Duration.ofDays(1)).issue(dir, "coordinator", Role.COORDINATOR, List.of(), Duration.ofDays(1));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket hung = new ServerSocket(0); ServerSocket closed = new ServerSocket(0);
        AgentClients clients = new AgentClients(TlsFiles.inDir(dir, "coordinator").channelCredentials())) {
      int deadPort = closed.getLocalPort();
      closed.close();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(hung.accept()); // accept, then say nothing: TLS handshake never completes
          }
        } catch (java.io.IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      NodeProbe probe = new NodeProbe(clients, pool, Duration.ofSeconds(2));
      long t0 = System.nanoTime();
      List<NodeView> views = probe.probe(List.of(new NodeAddress("dead", "127.0.0.1", deadPort),
          new NodeAddress("hung", "127.0.0.1", hung.getLocalPort())));
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(views).extracting(NodeView::getName).containsExactly("dead", "hung");
      assertThat(views).allSatisfy(v -> assertThat(v.getReachable()).isFalse());
      assertThat(views.get(0).getError()).startsWith("unreachable: ");
      assertThat(views.get(1).getError()).isEqualTo("no answer within the deadline");
      // Bounded: each probe is two calls of at most 2 s; they run in parallel, so far below 2 x 2 x 2 s.
      assertThat(elapsedMs).isLessThan(8_000);
    } finally {
      pool.shutdownNow();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
