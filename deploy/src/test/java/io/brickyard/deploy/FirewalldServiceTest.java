package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.AgentMain;
import io.brickyard.coordinator.CoordinatorMain;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

/** The firewalld service and the Prometheus targets open and scrape the ports the daemons listen on. */
class FirewalldServiceTest {

  @Test
  void serviceFileParsesAndOpensExactlyTheAgentsPorts() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    var doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(
        DeployFiles.read("firewalld/brickyard-agent.xml").getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("service");
    Set<String> ports = new TreeSet<>();
    NodeList nl = doc.getElementsByTagName("port");
    for (int i = 0; i < nl.getLength(); i++) {
      Element p = (Element) nl.item(i);
      ports.add(p.getAttribute("port") + "/" + p.getAttribute("protocol"));
    }
    assertThat(ports).containsExactlyInAnyOrder(
        DeployFiles.defaultPort(AgentMain.class, "BRICKYARD_AGENT_LISTEN") + "/tcp",
        DeployFiles.defaultPort(AgentMain.class, "BRICKYARD_AGENT_METRICS_LISTEN") + "/tcp");
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesTheMetricsPortsAndLoadsTheAlertRules() {
    Map<String, Object> cfg = new Yaml().load(DeployFiles.read("prometheus/brickyard.yml"));
    assertThat((List<String>) cfg.get("rule_files")).containsExactly("brickyard-alerts.yml");
    assertThat(DeployFiles.dir().resolve("prometheus/brickyard-alerts.yml")).isRegularFile();
    Map<String, Integer> expectedPort = Map.of(
        "brickyard-agent", DeployFiles.defaultPort(AgentMain.class, "BRICKYARD_AGENT_METRICS_LISTEN"),
        "brickyard-coordinator", DeployFiles.defaultPort(CoordinatorMain.class, "BRICKYARD_COORDINATOR_METRICS_LISTEN"));
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) cfg.get("scrape_configs");
    assertThat(jobs).extracting(j -> j.get("job_name")).containsExactlyInAnyOrderElementsOf(expectedPort.keySet());
    for (Map<String, Object> job : jobs) {
      int port = expectedPort.get((String) job.get("job_name"));
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        assertThat((List<String>) sc.get("targets")).isNotEmpty().allMatch(t -> t.endsWith(":" + port));
      }
      assertThat((List<Map<String, Object>>) job.get("relabel_configs"))
          .anyMatch(r -> "node".equals(r.get("target_label")));
    }
  }
}
