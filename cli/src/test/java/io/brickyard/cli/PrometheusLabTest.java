package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 12's monitoring against a real Prometheus (Debian's prometheus 2.42 binary on this host,
 * web UI on 127.0.0.1 only, storage in a temp directory): a fresh 2-node lab with examples/lab.yaml
 * applied is scraped with the shipped scrape config (targets pointed at the lab: agents
 * 10.77.0.11-12:9464 over plain HTTP as the lab serves them, the coordinator on 127.0.0.1:9465) and
 * the shipped alert rules, every 2 s. Then, through Prometheus's HTTP API: every rule evaluates
 * without error and every metric it uses has series (except those the lab cannot have, below);
 * vol1 has two bricks up; the brick filesystems' used bytes grow on both nodes after a 10 MB write
 * through a FUSE mount on the client; killing one vol1 brick process makes the shipped
 * GlusterBrickStatus alert go pending (alerts API, the rule as shipped with its 1 m {@code for});
 * every dashboard query runs without error and returns data.
 *
 * <p>The lab has no device-mapper, so no thin pools, volume groups or VIPs, and this test's lab has no
 * ZooKeeper, so no failover leader: those metrics ({@link #NOT_IN_LAB}) are checked for a valid query
 * only; the VM tier has LVM, and FailoverLeaderTest checks the leader's meters.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusLabTest {
  static final Set<String> NOT_IN_LAB = Set.of("gluster_thinpool_data_used_bytes", "gluster_thinpool_data_total_bytes",
      "gluster_thinpool_metadata_used_bytes", "gluster_thinpool_metadata_total_bytes", "brickyard_vg_free_bytes",
      "brickyard_vg_size_bytes", "brickyard_vip_held", "brickyard_failovers_total", "brickyard_vip_answering");
  private static final Pattern METRIC = Pattern.compile("\\b((?:gluster|brickyard|jvm|process|up)(?:_[a-zA-Z0-9_]+)?)\\b(?!\\s*\\()");
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @TempDir static Path tmp;
  static Process prometheus;
  static int port;

  @BeforeAll
  static void up() throws Exception {
    LabHarness.up(2);
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    startPrometheus();
  }

  @AfterAll
  static void down() throws Exception {
    try {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor();
        }
      }
      LabHarness.exec("client", "umount", "-l", "/mnt/vol1");
    } finally {
      LabHarness.down();
    }
  }

  /** The shipped brickyard.yml with its targets replaced by the lab's and a 2 s interval; the shipped rules. */
  @SuppressWarnings("unchecked")
  static void startPrometheus() throws Exception {
    Path deploy = Path.of("..", "deploy", "prometheus");
    Map<String, Object> conf = new Yaml().load(Files.readString(deploy.resolve("brickyard.yml")));
    Map<String, Object> global = (Map<String, Object>) conf.get("global");
    global.put("scrape_interval", "2s");
    global.put("evaluation_interval", "2s");
    Files.copy(deploy.resolve("brickyard-alerts.yml"), tmp.resolve("brickyard-alerts.yml"));
    for (Map<String, Object> job : (List<Map<String, Object>>) conf.get("scrape_configs")) {
      List<Map<String, Object>> sc = (List<Map<String, Object>>) job.get("static_configs");
      sc.get(0).put("targets", job.get("job_name").equals("brickyard-agent")
          ? List.of("10.77.0.11:9464", "10.77.0.12:9464") : List.of("127.0.0.1:9465"));
    }
    Files.writeString(tmp.resolve("prometheus.yml"), new Yaml().dump(conf));
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    prometheus = new ProcessBuilder("prometheus", "--config.file=" + tmp.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.retention.time=1h")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
    await("prometheus ready", Duration.ofSeconds(60), () -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Test
  @Order(1)
  void targetsAreScrapedAndVol1HasTwoBricksUp() throws Exception {
    await("both agents and the coordinator up", Duration.ofSeconds(60),
        () -> value("sum(up{job=\"brickyard-agent\"})") == 2 && value("sum(up{job=\"brickyard-coordinator\"})") == 1);
    // the coordinator refreshes its cluster metrics every 30 s
    await("vol1 in the cluster metrics", Duration.ofSeconds(90), () -> value("count(gluster_brick_up{volume=\"vol1\"})") == 2);
    assertThat(value("sum(gluster_brick_up{volume=\"vol1\"})")).isEqualTo(2);
    assertThat(value("gluster_volume_up{volume=\"vol1\",type=\"Replicate\"}")).isEqualTo(1);
    assertThat(value("gluster_volume_up{volume=\"vol2\",type=\"Distribute\"}")).isEqualTo(1);
    assertThat(value("sum(gluster_peer_connected)")).isEqualTo(2);
    assertThat(value("sum(brickyard_node_reachable)")).isEqualTo(2);
    assertThat(value("sum(gluster_volume_split_brain_heal_count{volume=\"vol1\"})")).isZero();
    assertThat(value("count(brickyard_brick_fs_mounted == 1)")).isEqualTo(4); // 2 bricks per node
    assertThat(value("sum(brickyard_service_up{unit=\"glusterd\"})")).isEqualTo(2);
    report();
  }

  @Test
  @Order(2)
  @SuppressWarnings("unchecked")
  void everyRuleEvaluatesAndItsMetricsExist() throws Exception {
    // rules are evaluated every 2 s; give them one round after the cluster metrics arrived
    Thread.sleep(5000);
    JsonArray groups = api("/api/v1/rules").getAsJsonObject("data").getAsJsonArray("groups");
    List<String> problems = new ArrayList<>();
    int rules = 0;
    for (JsonElement g : groups) {
      for (JsonElement re : g.getAsJsonObject().getAsJsonArray("rules")) {
        JsonObject rule = re.getAsJsonObject();
        rules++;
        if (!rule.get("health").getAsString().equals("ok")) {
          problems.add(rule.get("name").getAsString() + ": health " + rule.get("health") + " " + rule.get("lastError"));
        }
        for (String m : metrics(rule.get("query").getAsString())) {
          if (!NOT_IN_LAB.contains(m) && value("count({__name__=\"" + m + "\"}) or vector(0)") == 0) {
            problems.add(rule.get("name").getAsString() + ": no series of " + m);
          }
        }
      }
    }
    Map<String, Object> shipped = new Yaml().load(Files.readString(Path.of("..", "deploy", "prometheus", "brickyard-alerts.yml")));
    int shippedRules = 0;
    for (Map<String, Object> g : (List<Map<String, Object>>) shipped.get("groups")) {
      shippedRules += ((List<?>) g.get("rules")).size();
    }
    assertThat(rules).isEqualTo(shippedRules);
    assertThat(problems).isEmpty();
  }

  @Test
  @Order(3)
  void usedBytesGrowAfterA10MbWriteThroughFuse() throws Exception {
    assertThat(LabHarness.exec("client", "mkdir", "-p", "/mnt/vol1").code()).isZero();
    LabHarness.Exec m = LabHarness.exec("client", "mount", "-t", "glusterfs", "gluster1:/vol1", "/mnt/vol1");
    assertThat(m.code()).as(m.out()).isZero();
    String q = "brickyard_brick_fs_used_bytes{mountpoint=\"/gluster/vol1/brick1\"}";
    Map<String, Double> before = byNode(q);
    assertThat(before).hasSize(2);
    LabHarness.Exec dd = LabHarness.exec("client", "dd", "if=/dev/urandom", "of=/mnt/vol1/ten-mb", "bs=1M", "count=10",
        "conv=fsync", "status=none");
    assertThat(dd.code()).as(dd.out()).isZero();
    await("used bytes +10 MB on both vol1 bricks", Duration.ofSeconds(60), () -> {
      Map<String, Double> now = byNode(q);
      return now.size() == 2 && before.entrySet().stream().allMatch(e -> now.get(e.getKey()) - e.getValue() >= 10 * 1024 * 1024);
    });
    System.out.println("vol1 brick used bytes before " + before + " after " + byNode(q));
  }

  @Test
  @Order(4)
  void everyDashboardQueryRunsAndReturnsData() throws Exception {
    JsonObject d = JsonParser.parseString(Files.readString(Path.of("..", "deploy", "grafana", "brickyard-dashboard.json")))
        .getAsJsonObject();
    // rate()s over 5 m need two scrapes, increase over 1 h likewise: both exist after the tests above
    List<String> problems = new ArrayList<>();
    int n = 0;
    for (JsonElement p : d.getAsJsonArray("panels")) {
      JsonArray targets = p.getAsJsonObject().getAsJsonArray("targets");
      if (targets == null) {
        continue; // a row
      }
      for (JsonElement t : targets) {
        // Grafana's own variables, as Grafana would fill them in ($__rate_interval: at least 4 scrapes)
        String expr = t.getAsJsonObject().get("expr").getAsString().replace("$node", ".*")
            .replace("$__rate_interval", "30s");
        n++;
        JsonObject r = query(expr);
        if (!r.get("status").getAsString().equals("success")) {
          problems.add(expr + ": " + r);
        } else if (r.getAsJsonObject("data").getAsJsonArray("result").isEmpty()
            && metrics(expr).stream().noneMatch(NOT_IN_LAB::contains)) {
          // A panel of failures (code!="OK") is rightly empty on a healthy lab: then the same query
          // without its negative matchers must return data (the metric and the query shape work).
          String relaxed = expr.replaceAll(",\\s*\\w+!=\"[^\"]*\"", "");
          if (relaxed.equals(expr) || query(relaxed).getAsJsonObject("data").getAsJsonArray("result").isEmpty()) {
            problems.add(expr + ": no data");
          }
        }
      }
    }
    assertThat(n).isGreaterThan(30);
    assertThat(problems).isEmpty();
  }

  @Test
  @Order(5)
  void killingABrickProcessMakesTheBrickDownAlertGoPending() throws Exception {
    long pid = brickPid("gluster2");
    assertThat(pid).isPositive();
    LabHarness.kill(pid, true);
    long t0 = System.nanoTime();
    await("GlusterBrickStatus pending for gluster2's vol1 brick", Duration.ofSeconds(90), () -> {
      for (JsonElement a : api("/api/v1/alerts").getAsJsonObject("data").getAsJsonArray("alerts")) {
        JsonObject labels = a.getAsJsonObject().getAsJsonObject("labels");
        if (labels.get("alertname").getAsString().equals("GlusterBrickStatus")
            && labels.get("hostname").getAsString().equals("gluster2") && labels.get("volume").getAsString().equals("vol1")) {
          return a.getAsJsonObject().get("state").getAsString().equals("pending");
        }
      }
      return false;
    });
    System.out.println("GlusterBrickStatus pending " + (System.nanoTime() - t0) / 1_000_000 + " ms after the kill");
    assertThat(value("gluster_brick_up{volume=\"vol1\",hostname=\"gluster2\"}")).isZero();
    assertThat(value("gluster_brick_up{volume=\"vol1\",hostname=\"gluster1\"}")).isEqualTo(1);
  }

  /**
   * A real split-brain on vol1, the way it happens: with self-heal and client quorum off, a write
   * lands on gluster1's brick only while gluster2's is down, then another on gluster2's only while
   * gluster1's is down. The heal summary the agent reads is captured for the parser's fixture
   * (target/captures), and the shipped GlusterSplitBrain alert must fire.
   */
  @Test
  @Order(6)
  void aSplitBrainMakesTheSplitBrainAlertFire() throws Exception {
    for (String[] o : List.of(new String[] {"cluster.quorum-type", "none"}, new String[] {"cluster.self-heal-daemon", "off"},
        new String[] {"cluster.data-self-heal", "off"}, new String[] {"cluster.metadata-self-heal", "off"},
        new String[] {"cluster.entry-self-heal", "off"})) {
      LabHarness.Exec set = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "set", "vol1", o[0], o[1]);
      assertThat(set.code()).as(set.out()).isZero();
    }
    // gluster2's vol1 brick is down since the previous test: this write reaches gluster1's only
    write("first");
    startForce();
    await("gluster2's brick back", Duration.ofSeconds(60), () -> brickPid("gluster2") > 0);
    Thread.sleep(3000); // the FUSE client reconnects to the restarted brick
    LabHarness.kill(brickPid("gluster1"), true);
    write("second");
    startForce();
    await("gluster1's brick back", Duration.ofSeconds(60), () -> brickPid("gluster1") > 0);
    LabHarness.Exec summary = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "heal", "vol1", "info",
        "summary", "--xml");
    Path captures = Path.of("target", "captures");
    Files.createDirectories(captures);
    Files.writeString(captures.resolve("volume-heal-info-summary.split-brain.xml"), summary.out());
    assertThat(summary.out()).containsPattern("<numberOfEntriesInSplitBrain>[1-9]");
    await("GlusterSplitBrain firing", Duration.ofSeconds(90), () -> {
      for (JsonElement a : api("/api/v1/alerts").getAsJsonObject("data").getAsJsonArray("alerts")) {
        JsonObject labels = a.getAsJsonObject().getAsJsonObject("labels");
        if (labels.get("alertname").getAsString().equals("GlusterSplitBrain") && labels.get("volume").getAsString().equals("vol1")) {
          return a.getAsJsonObject().get("state").getAsString().equals("firing");
        }
      }
      return false;
    });
    assertThat(value("sum(gluster_volume_split_brain_heal_count{volume=\"vol1\"})")).isGreaterThan(0);
  }

  private static void write(String what) throws Exception {
    LabHarness.Exec w = LabHarness.exec("client", "dd", "if=/dev/urandom", "of=/mnt/vol1/ten-mb", "bs=4k", "count=1",
        "conv=notrunc,fsync", "status=none");
    assertThat(w.code()).as(what + " write: " + w.out()).isZero();
  }

  private static void startForce() throws Exception {
    LabHarness.Exec s = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "start", "vol1", "force");
    assertThat(s.code()).as(s.out()).isZero();
  }

  /** The pid of a host's online vol1 brick, 0 when offline. */
  private static long brickPid(String host) throws Exception {
    LabHarness.Exec st = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "status", "vol1", "--xml");
    Matcher pid = Pattern.compile("<hostname>" + host + "</hostname>\\s*<path>/gluster/vol1/brick1/brick</path>\\s*"
        + "<peerid>[^<]*</peerid>\\s*<status>1</status>\\s*<port>\\d+</port>\\s*<ports>.*?</ports>\\s*<pid>(\\d+)</pid>",
        Pattern.DOTALL).matcher(st.out());
    return pid.find() ? Long.parseLong(pid.group(1)) : 0;
  }

  /** Scrape and read costs as Prometheus and the daemons measured them, for docs/benchmarks.md. */
  static void report() throws Exception {
    for (String q : List.of("scrape_duration_seconds", "scrape_samples_scraped",
        "rate(brickyard_agent_node_read_seconds_sum[1m]) / rate(brickyard_agent_node_read_seconds_count[1m])",
        "brickyard_agent_node_read_seconds_max", "brickyard_coordinator_cluster_refresh_seconds_max",
        "brickyard_coordinator_cluster_refresh_seconds_sum / brickyard_coordinator_cluster_refresh_seconds_count")) {
      System.out.println("METRICS-COST " + q + " = " + query(q).getAsJsonObject("data").getAsJsonArray("result"));
    }
  }

  /** Metric names in a PromQL expression (function names are followed by "(" and skipped). */
  static Set<String> metrics(String expr) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
    while (m.find()) {
      String name = m.group(1);
      if (!name.equals("up") || expr.contains("up{")) {
        out.add(name);
      }
    }
    return out;
  }

  static Map<String, Double> byNode(String q) throws Exception {
    Map<String, Double> out = new LinkedHashMap<>();
    for (JsonElement e : query(q).getAsJsonObject("data").getAsJsonArray("result")) {
      JsonObject o = e.getAsJsonObject();
      out.put(o.getAsJsonObject("metric").get("node").getAsString(), o.getAsJsonArray("value").get(1).getAsDouble());
    }
    return out;
  }

  /** The single value of an instant query; NaN when it has no result. */
  static double value(String q) throws Exception {
    JsonArray r = query(q).getAsJsonObject("data").getAsJsonArray("result");
    return r.isEmpty() ? Double.NaN : r.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsDouble();
  }

  static JsonObject query(String q) throws Exception {
    return api("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
  }

  static JsonObject api(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void await(String what, Duration max, Check check) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; prometheus log:\n"
            + Files.readString(tmp.resolve("prometheus.log")));
      }
      Thread.sleep(1000);
    }
  }

}
