package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules, checked and unit-tested by Prometheus's own promtool (Debian's {@code
 * prometheus} package, installed by scripts/install-deps.sh): {@code check rules}, {@code test
 * rules} (deploy/src/test/prometheus), and {@code check config} of the shipped scrape config. Every
 * alert of the rules file must have a case where it fires and one where it is checked to stay
 * silent. A machine without promtool FAILS this test instead of skipping it, so CI cannot go green
 * on rules nobody checked.
 */
class PromtoolTest {
  @TempDir Path tmp;

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    Result r = promtool("check", "rules", DeployFiles.dir().resolve("prometheus/brickyard-alerts.yml").toString());
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("SUCCESS");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    Result r = promtool("test", "rules", DeployFiles.dir().resolve("src/test/prometheus/brickyard-alerts.test.yml").toString());
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("SUCCESS");
  }

  @Test
  void shippedScrapeConfigPassesPromtoolCheck() throws Exception {
    // check config resolves rule_files beside the config: check the shipped pair as shipped
    Files.copy(DeployFiles.dir().resolve("prometheus/brickyard.yml"), tmp.resolve("brickyard.yml"));
    Files.copy(DeployFiles.dir().resolve("prometheus/brickyard-alerts.yml"), tmp.resolve("brickyard-alerts.yml"));
    Result r = promtool("check", "config", tmp.resolve("brickyard.yml").toString());
    assertThat(r.code()).as(r.out()).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasAFiringAndASilentCase() {
    Set<String> alerts = new LinkedHashSet<>();
    Map<String, Object> rules = new Yaml().load(DeployFiles.read("prometheus/brickyard-alerts.yml"));
    for (Map<String, Object> g : (List<Map<String, Object>>) rules.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        if (r.containsKey("alert")) {
          alerts.add((String) r.get("alert") + "/" + ((Map<String, Object>) r.get("labels")).get("severity"));
        }
      }
    }
    Set<String> fires = new LinkedHashSet<>();
    Set<String> silent = new LinkedHashSet<>();
    Map<String, Object> tests = new Yaml().load(DeployFiles.read("src/test/prometheus/brickyard-alerts.test.yml"));
    for (Map<String, Object> t : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> c : (List<Map<String, Object>>) t.get("alert_rule_test")) {
        String name = (String) c.get("alertname");
        List<Map<String, Object>> exp = (List<Map<String, Object>>) c.get("exp_alerts");
        if (exp == null || exp.isEmpty()) {
          silent.add(name);
        } else {
          for (Map<String, Object> a : exp) {
            fires.add(name + "/" + ((Map<String, Object>) a.get("exp_labels")).get("severity"));
          }
        }
      }
    }
    assertThat(alerts).hasSizeGreaterThan(15);
    assertThat(fires).as("alerts (name/severity) with a case where they fire").containsAll(alerts);
    List<String> names = alerts.stream().map(a -> a.substring(0, a.indexOf('/'))).distinct().toList();
    assertThat(silent).as("alerts with a case where they must stay silent").containsAll(names);
  }

  record Result(int code, String out) {}

  static Result promtool(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(promtoolPath()));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  /** promtool from PATH; its absence is a failure with the fix, never a skip. */
  static String promtoolPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError("promtool is not installed: the alert rules cannot be checked. Install Debian's"
        + " 'prometheus' package (scripts/install-deps.sh does) or put promtool on PATH.");
  }
}
