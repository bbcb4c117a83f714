package io.brickyard.agent.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.AgentMain;
import io.brickyard.agent.AgentServer;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.common.metrics.MetricsEndpoint;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --insecure-plaintext-debug-only: loopback only, and only ever from a command line. */
class InsecureDebugModeTest {
  @TempDir Path dir;

  private static int run(StringWriter err, String... args) {
    return new CommandLine(new AgentMain()).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void theFlagIsNotTakenFromADefaultsPropertiesFile() throws Exception {
    Path props = Files.writeString(dir.resolve("agent.properties"), "insecure-plaintext-debug-only=true\n");
    String key = "picocli.defaults.brickyard-agent.path";
    System.setProperty(key, props.toString());
    try {
      StringWriter err = new StringWriter();
      // A listen address that fails to parse: should the flag slip through, the agent stops there
      // (exit 2, about --listen) instead of serving plaintext for the rest of the test run.
      int rc = run(err, "--listen", "no-port", "--tls-dir", dir.toString());
      assertThat(rc).isEqualTo(2);
      assertThat(err.toString()).contains("insecure-plaintext-debug-only").contains("command line").contains(props.toString());
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void aListenAddressOtherThanLoopbackIsRefusedAtStartWithExit2() {
    for (String listen : List.of("0.0.0.0:0", "[::]:0", "192.0.2.1:0")) {
      StringWriter err = new StringWriter();
      // The code before the fix served plaintext on 0.0.0.0 and never returned: bounded here.
      int rc = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> run(err, InsecureDebugMode.FLAG, "--listen", listen, "--metrics-listen", "127.0.0.1:0",
              "--state-dir", dir.toString()));
      assertThat(rc).as(listen).isEqualTo(2);
      assertThat(err.toString()).as(listen).contains("binds loopback only");
    }
  }

  @Test
  void theWildcardDefaultBecomesLoopbackAndLoopbackNamesAreKept() {
    assertThat(InsecureDebugMode.loopbackListen("0.0.0.0", 7443, false).getAddress().isLoopbackAddress()).isTrue();
    assertThat(InsecureDebugMode.loopbackListen("::1", 1, true).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(InsecureDebugMode.loopbackListen("localhost", 1, true).getAddress().isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> InsecureDebugMode.loopbackListen("0.0.0.0", 7443, true))
        .hasMessageContaining("--listen 0.0.0.0:7443");
  }

  @Test
  void theFlagIsRefusedWhenItComesFromTheSysconfigArguments() {
    assertThatThrownBy(() -> InsecureDebugMode.refuseFromSysconfig(
        Map.of("BRICKYARD_AGENT_ARGS", "--listen 127.0.0.1:7443 --insecure-plaintext-debug-only")))
        .hasMessageContaining("BRICKYARD_AGENT_ARGS");
    InsecureDebugMode.refuseFromSysconfig(Map.of("BRICKYARD_AGENT_ARGS", "--listen 10.0.0.5:7443"));
    InsecureDebugMode.refuseFromSysconfig(Map.of());
  }

  @Test
  void theServerBindsLoopbackOnlyAndServesLoopbackPeers() throws Exception {
    MetricsEndpoint metrics = new MetricsEndpoint("test");
    ProcessRunner runner = new ProcessRunner();
    AgentContext ctx = new AgentContext(runner, ServiceBackend.named("systemd", runner),
        new AgentContext.Paths(dir.resolve("fstab"), dir.resolve("state")), metrics.registry());
    try {
      assertThatThrownBy(() -> AgentServer.start(new InetSocketAddress("0.0.0.0", 0), null, ctx, metrics))
          .hasMessageContaining("binds loopback only");
      AgentServer server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, ctx, metrics);
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
          InsecureChannelCredentials.create()).build();
      try {
        assertThat(FactsServiceGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
            .getFacts(GetFactsRequest.getDefaultInstance()).getHostname()).isNotEmpty();
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
      }
    } finally {
      metrics.close();
    }
  }

  @Test
  void theWarningRepeats() throws Exception {
    List<String> logged = new CopyOnWriteArrayList<>();
    ScheduledExecutorService s = InsecureDebugMode.warnPeriodically(logged::add, "INSECURE", Duration.ofMillis(20));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (logged.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(logged).hasSizeGreaterThanOrEqualTo(3).containsOnly("INSECURE");
    } finally {
      s.shutdownNow();
    }
  }
}
