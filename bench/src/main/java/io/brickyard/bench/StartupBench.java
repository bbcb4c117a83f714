package io.brickyard.bench;

import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.common.tls.TlsFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cold start (spawn to first SERVING health check over mTLS) and resident memory, for several JVM
 * flag sets: the shipped flags, the shipped flags plus an AppCDS archive (trained two ways), and
 * plain JVM defaults for comparison. One discarded warm-up run per variant warms the benchmark's
 * own TLS client, so the numbers are the agent's, not the client's first handshake.
 */
final class StartupBench {
  private final Path jar;
  private final List<String> flags;
  private final Path work;
  private final TlsFiles client;
  private final PrintStream out;

  StartupBench(Path jar, List<String> flags, Path work, TlsFiles client, PrintStream out) {
    this.jar = jar;
    this.flags = flags;
    this.work = work;
    this.client = client;
    this.out = out;
  }

  void run(int runs) throws IOException, InterruptedException {
    Path startupJsa = work.resolve("agent-startup.jsa");
    Path trafficJsa = work.resolve("agent-traffic.jsa");
    train(startupJsa, false);
    train(trafficJsa, true);
    out.printf("AppCDS archives: startup-trained %d MB, traffic-trained %d MB%n",
        Files.size(startupJsa) >> 20, Files.size(trafficJsa) >> 20);
    List<String> names = List.of("JVM defaults (no flags)", "shipped flags",
        "shipped flags + AppCDS (startup-trained, as ExecStartPre does)", "shipped flags + AppCDS (trained with 100 GetFacts)");
    List<List<String>> jvms = List.of(List.of(), flags, with(flags, "-XX:SharedArchiveFile=" + startupJsa),
        with(flags, "-XX:SharedArchiveFile=" + trafficJsa));
    long[][] startNs = new long[names.size()][runs];
    long[][] selfNs = new long[names.size()][runs];
    // Round-robin over the variants, so load from other processes on a shared machine hits all
    // of them alike; run -1 is a discarded warm-up of the benchmark's own TLS client.
    for (int i = -1; i < runs; i++) {
      for (int v = 0; v < names.size(); v++) {
        try (AgentProcess a = AgentProcess.start(jar, jvms.get(v), client.caCert().getParent(), work, "startup")) {
          long ns = a.awaitServing(client);
          if (i >= 0) {
            startNs[v][i] = ns;
            selfNs[v][i] = a.selfReportedMs() * 1_000_000;
          }
        }
      }
    }
    for (int v = 0; v < names.size(); v++) {
      long[] rss = rss(jvms.get(v));
      List<String> jvm = jvms.get(v);
      out.printf("%n[startup] %s%n  flags: %s%n  spawn -> SERVING over mTLS: %s%n  agent's own main() -> listening: %s%n"
          + "  VmRSS after 10 s idle: %d MB; after 100 GetFacts: %d MB%n",
          names.get(v), jvm.isEmpty() ? "(none)" : String.join(" ", jvm), Stats.of(startNs[v]), Stats.of(selfNs[v]),
          rss[0] >> 10, rss[1] >> 10);
      out.flush();
    }
  }

  /** Dynamic AppCDS archive written at exit: startup only (no client at all), or startup plus served RPCs. */
  private void train(Path jsa, boolean traffic) throws IOException, InterruptedException {
    Files.deleteIfExists(jsa);
    try (AgentProcess a = AgentProcess.start(jar, with(flags, "-XX:ArchiveClassesAtExit=" + jsa), client.caCert().getParent(), work, "train")) {
      if (traffic) {
        a.awaitServing(client);
        getFacts(a, 100);
      } else {
        a.awaitLogServing();
      }
    }
    if (!Files.isRegularFile(jsa)) {
      throw new IOException("the JVM wrote no AppCDS archive " + jsa + " (see " + work + "/agent-train.log)");
    }
  }

  /** VmRSS in kB after 10 s idle, then after 100 GetFacts calls. */
  private long[] rss(List<String> jvm) throws IOException, InterruptedException {
    try (AgentProcess a = AgentProcess.start(jar, jvm, client.caCert().getParent(), work, "rss")) {
      a.awaitServing(client);
      TimeUnit.SECONDS.sleep(10);
      long idle = a.rssKb();
      getFacts(a, 100);
      return new long[] {idle, a.rssKb()};
    }
  }

  private static void getFacts(AgentProcess a, int n) {
    var stub = FactsServiceGrpc.newBlockingStub(a.channel());
    for (int i = 0; i < n; i++) {
      stub.withDeadlineAfter(30, TimeUnit.SECONDS).getFacts(GetFactsRequest.getDefaultInstance());
    }
  }

  private static List<String> with(List<String> base, String extra) {
    List<String> l = new ArrayList<>(base);
    l.add(extra);
    return l;
  }
}
