package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every metric the alert rules and the Grafana dashboard query is one a real agent and a real
 * coordinator serve: both daemons are started as processes with mTLS certificates from a fresh
 * CA, called once (so the per-RPC and per-command timers exist), and their /metrics scraped.
 * Label names used in the queries must be labels those metrics carry (or Prometheus target labels).
 *
 * <p>Storage metrics exist only where there is storage: a daemon on this build machine has no
 * thin pool, brick or gluster volume. Those must instead be listed, with their labels, in
 * docs/metrics.md, and their name must appear in the daemons' sources (so neither the docs nor
 * the rules can name a metric no code registers); PrometheusLabTest checks them on a real lab.
 */
class MonitoringMetricsTest {
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern PREFIXED = Pattern.compile("\\b((?:brickyard|gluster|jvm|process|system)_[a-zA-Z0-9_]+)");
  private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern BY_LABELS = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  /** Added by Prometheus itself (job, instance, up) or by our relabeling (node). */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "node");
  private final List<Process> processes = new ArrayList<>();

  @TempDir
  Path tmp;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void alertRulesAndDashboardQueryOnlyMetricsTheDaemonsServe() throws Exception {
    Path tls = tmp.resolve("tls");
    CertAuthority ca = CertAuthority.init(tls, "deploy-test", Duration.ofDays(1));
    ca.issue(tls, "node", Role.NODE, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(tls, "coordinator", Role.COORDINATOR, List.of("127.0.0.1"), Duration.ofDays(1));
    ca.issue(tls, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
    TlsFiles admin = TlsFiles.inDir(tls, "admin");

    int agentPort = freePort();
    int agentMetrics = freePort();
    start("io.brickyard.agent.AgentMain", "agent", "--listen", "127.0.0.1:" + agentPort,
        "--metrics-listen", "127.0.0.1:" + agentMetrics, "--tls-dir", tls.toString(), "--tls-name", "node",
        "--state-dir", tmp.resolve("agent-state").toString());
    int coordPort = freePort();
    int coordMetrics = freePort();
    start("io.brickyard.coordinator.CoordinatorMain", "coordinator", "--listen", "127.0.0.1:" + coordPort,
        "--metrics-listen", "127.0.0.1:" + coordMetrics, "--tls-dir", tls.toString(), "--tls-name", "coordinator",
        "--state-dir", tmp.resolve("coordinator-state").toString());
    awaitMetrics(agentMetrics, "agent");
    awaitMetrics(coordMetrics, "coordinator");

    ManagedChannel a = Grpc.newChannelBuilderForAddress("127.0.0.1", agentPort, admin.channelCredentials()).build();
    ManagedChannel c = Grpc.newChannelBuilderForAddress("127.0.0.1", coordPort, admin.channelCredentials()).build();
    try {
      FactsServiceGrpc.newBlockingStub(a).withDeadlineAfter(60, TimeUnit.SECONDS).getFacts(GetFactsRequest.getDefaultInstance());
      CoordinatorServiceGrpc.newBlockingStub(c).withDeadlineAfter(60, TimeUnit.SECONDS).listNodes(ListNodesRequest.getDefaultInstance());
    } finally {
      a.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    Map<String, Set<String>> served = new HashMap<>();
    parseExposition(scrape(agentMetrics), served);
    parseExposition(scrape(coordMetrics), served);
    assertThat(served).containsKeys("brickyard_agent_rpc_seconds_count", "brickyard_agent_command_seconds_count",
        "brickyard_coordinator_rpc_seconds_count");

    Map<String, Set<String>> documented = documentedMetrics();
    String sources = daemonSources();
    for (Map.Entry<String, Set<String>> d : documented.entrySet()) {
      assertThat(sources).as("docs/metrics.md documents " + d.getKey() + ": no daemon source names it")
          .containsAnyOf("\"" + d.getKey() + "\"", "\"" + d.getKey().replaceAll("_(seconds|info)$", "") + "\"",
              "_" + d.getKey().replaceFirst("^brickyard_(agent|coordinator)_", "") + "\"");
      served.putIfAbsent(d.getKey(), d.getValue());
      for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
        if (d.getKey().endsWith("_seconds")) {
          Set<String> labels = new LinkedHashSet<>(d.getValue());
          if (suffix.equals("_bucket")) {
            labels.add("le");
          }
          served.putIfAbsent(d.getKey() + suffix, labels);
        }
      }
    }
    List<String> queries = new ArrayList<>(alertExpressions());
    queries.addAll(dashboardExpressions());
    assertThat(queries).hasSizeGreaterThan(10);
    List<String> problems = new ArrayList<>();
    for (String q : queries) {
      Set<String> metrics = new LinkedHashSet<>();
      Set<String> labels = new LinkedHashSet<>();
      Matcher s = SELECTOR.matcher(q);
      while (s.find()) {
        metrics.add(s.group(1));
        Matcher l = MATCHER_LABEL.matcher(s.group(2));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
      Matcher p = PREFIXED.matcher(q);
      while (p.find()) {
        metrics.add(p.group(1));
      }
      Matcher by = BY_LABELS.matcher(q);
      while (by.find()) {
        for (String l : by.group(1).split(",")) {
          labels.add(l.strip());
        }
      }
      Set<String> carried = new LinkedHashSet<>(TARGET_LABELS);
      for (String m : metrics) {
        if (m.equals("up")) {
          continue;
        }
        if (!served.containsKey(m)) {
          problems.add("metric " + m + " is not served; in: " + q);
        } else {
          carried.addAll(served.get(m));
        }
      }
      for (String l : labels) {
        if (!carried.contains(l)) {
          problems.add("label " + l + " is on none of " + metrics + "; in: " + q);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> alertExpressions() {
    Map<String, Object> doc = new Yaml().load(DeployFiles.read("prometheus/brickyard-alerts.yml"));
    List<String> exprs = new ArrayList<>();
    for (Map<String, Object> g : (List<Map<String, Object>>) doc.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        exprs.add((String) r.get("expr"));
      }
    }
    return exprs;
  }

  private static List<String> dashboardExpressions() {
    JsonObject d = JsonParser.parseString(DeployFiles.read("grafana/brickyard-dashboard.json")).getAsJsonObject();
    List<String> exprs = new ArrayList<>();
    for (JsonElement p : d.getAsJsonArray("panels")) {
      JsonArray targets = p.getAsJsonObject().getAsJsonArray("targets");
      if (targets == null) {
        assertThat(p.getAsJsonObject().get("type").getAsString()).isEqualTo("row");
        continue;
      }
      for (JsonElement t : targets) {
        exprs.add(t.getAsJsonObject().get("expr").getAsString());
      }
    }
    for (JsonElement v : d.getAsJsonObject("templating").getAsJsonArray("list")) {
      if (v.getAsJsonObject().has("definition")) {
        exprs.add(v.getAsJsonObject().get("definition").getAsString());
      }
    }
    return exprs;
  }

  /**
   * name -> label names, from the tables of docs/metrics.md: a row starting with a metric name in
   * backquotes, its label names in backquotes in the next column.
   */
  static Map<String, Set<String>> documentedMetrics() throws IOException {
    Map<String, Set<String>> out = new HashMap<>();
    Pattern row = Pattern.compile("^\\| `([a-z_]+)` \\| ([^|]*) \\|");
    Pattern tick = Pattern.compile("`([a-z_]+)`");
    for (String l : Files.readString(DeployFiles.dir().resolveSibling("docs").resolve("metrics.md")).split("\n")) {
      Matcher m = row.matcher(l);
      if (m.find() && (m.group(1).startsWith("brickyard_") || m.group(1).startsWith("gluster_"))) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher t = tick.matcher(m.group(2));
        while (t.find()) {
          labels.add(t.group(1));
        }
        out.put(m.group(1), labels);
      }
    }
    assertThat(out).as("metric tables in docs/metrics.md").hasSizeGreaterThan(20);
    return out;
  }

  /** The main Java sources of the agent, coordinator and shared modules, concatenated. */
  static String daemonSources() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String module : List.of("agent", "coordinator", "proto")) {
      try (var files = Files.walk(DeployFiles.dir().resolveSibling(module).resolve("src/main/java"))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          sb.append(Files.readString(f));
        }
      }
    }
    return sb.toString();
  }

  /** name -> label names, from Prometheus text exposition lines "name{a="x",b="y"} value". */
  static void parseExposition(String text, Map<String, Set<String>> into) {
    Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    for (String l : text.split("\n")) {
      Matcher m = line.matcher(l);
      if (l.startsWith("#") || !m.matches()) {
        continue;
      }
      Set<String> labels = into.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
      if (m.group(2) != null) {
        Matcher lm = label.matcher(m.group(2));
        while (lm.find()) {
          labels.add(lm.group(1));
        }
      }
    }
  }

  private void start(String mainClass, String name, String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
    argv.addAll(List.of(args));
    Path log = tmp.resolve(name + ".log");
    processes.add(new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start());
  }

  private void awaitMetrics(int port, String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      try {
        scrape(port);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || processes.stream().anyMatch(p -> !p.isAlive())) {
          throw new AssertionError(name + " did not serve /metrics; log:\n" + Files.readString(tmp.resolve(name + ".log")), e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static String scrape(int port) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(10_000);
    try (var in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
