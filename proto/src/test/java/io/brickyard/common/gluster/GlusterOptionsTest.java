package io.brickyard.common.gluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.common.gluster.GlusterOptions.Scope;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The bundled option table against real output captured from glusterfs 10.3 (a scratch glusterd in
 * private namespaces): {@code gluster volume set help-xml} (note: {@code volume set help --xml}
 * prints the plain-text help), {@code gluster --xml volume get <vol> all} and
 * {@code gluster --xml volume get all all}. The shipped file must be exactly what they say.
 */
class GlusterOptionsTest {
  private static final GlusterOptions TABLE = GlusterOptions.bundled();

  private static Document xml(String fixture) throws Exception {
    try (InputStream in = GlusterOptionsTest.class.getClassLoader().getResourceAsStream("fixtures/gluster/" + fixture)) {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(in.readAllBytes()));
    }
  }

  /** The text of every {@code <child>} of every {@code <element>}. */
  private static Set<String> names(Document d, String element, String child) {
    Set<String> out = new TreeSet<>();
    NodeList opts = d.getElementsByTagName(element);
    for (int i = 0; i < opts.getLength(); i++) {
      NodeList n = ((org.w3c.dom.Element) opts.item(i)).getElementsByTagName(child);
      out.add(n.item(0).getTextContent().strip());
    }
    return out;
  }

  @Test
  void capturedOutputsParse() throws Exception {
    Set<String> help = names(xml("volume-set-help-xml.xml"), "option", "name");
    Set<String> get = names(xml("volume-get-all.xml"), "Opt", "Option");
    Set<String> all = names(xml("volume-get-all-all.xml"), "Opt", "Option");
    // 255 entries (one name twice), 342 rows of volume get (6 names twice), 10 global options
    assertThat(help).hasSize(254).contains("performance.cache-size", "auth.allow", "cluster.server-quorum-ratio")
        .doesNotContain("nfs.disable");
    assertThat(get).hasSize(336).contains("nfs.disable", "performance.cache-size");
    assertThat(all).containsExactlyInAnyOrder("cluster.server-quorum-ratio", "cluster.enable-shared-storage",
        "cluster.op-version", "cluster.max-op-version", "cluster.brick-multiplex", "cluster.max-bricks-per-process",
        "glusterd.vol_count_per_thread", "cluster.localtime-logging", "cluster.daemon-log-level",
        "cluster.brick-graceful-cleanup");
  }

  @Test
  void bundledTableIsExactlyTheCapturedOptions() throws Exception {
    Set<String> all = names(xml("volume-get-all-all.xml"), "Opt", "Option");
    Map<String, Scope> want = new TreeMap<>();
    names(xml("volume-set-help-xml.xml"), "option", "name").forEach(k -> want.put(k, Scope.VOLUME));
    names(xml("volume-get-all.xml"), "Opt", "Option").forEach(k -> want.put(k, Scope.VOLUME));
    all.forEach(k -> want.put(k, Scope.CLUSTER));
    assertThat(TABLE.keys()).as("options-glusterfs-10.3.txt vs the captured fixtures").isEqualTo(want);
  }

  @Test
  void volumeKeysOfTheExamplesAndDocsAreAccepted() {
    for (String k : new String[] {"performance.cache-size", "nfs.disable", "cluster.self-heal-daemon", "auth.allow",
        "storage.owner-uid", "performance.client-io-threads", "user.smb"}) {
      assertThat(TABLE.keyProblem(k)).as(k).isEmpty();
    }
  }

  @Test
  void unknownHostileAndClusterWideKeysAreRefused() {
    assertThat(TABLE.keyProblem("performance.cache-sizee")).contains(
        "'performance.cache-sizee' is not a gluster volume option; did you mean performance.cache-size?");
    assertThat(TABLE.keyProblem("cache-size")).contains(
        "'cache-size' is not a gluster volume option; did you mean performance.cache-size?");
    assertThat(TABLE.keyProblem("Performance.Cache-Size")).get().asString().contains("did you mean performance.cache-size?");
    assertThat(TABLE.keyProblem("--log-file=/tmp/x")).contains(
        "'--log-file=/tmp/x' is not a gluster volume option (e.g. performance.cache-size)");
    assertThat(TABLE.keyProblem("nfs.disable\n--log-file=/tmp/x")).get().asString().startsWith("'nfs.disable?--log");
    assertThat(TABLE.keyProblem("user.-x")).isPresent();
    assertThat(TABLE.keyProblem("")).contains("option name is empty");
    assertThat(TABLE.keyProblem("cluster.server-quorum-ratio")).contains(
        "'cluster.server-quorum-ratio' is a cluster-wide option (gluster volume set all), not a volume option");
  }

  @Test
  void valuesThatCouldReachTheCliAsOptionsAreRefused() {
    assertThat(GlusterOptions.valueProblem("256MB")).isEmpty();
    assertThat(GlusterOptions.valueProblem("10.0.0.*,192.168.1.2")).isEmpty();
    assertThat(GlusterOptions.valueProblem("--log-file=/tmp/pwned.log")).contains(
        "option value must not start with '-' (the gluster CLI would take it as its own option)");
    assertThat(GlusterOptions.valueProblem("-1")).isPresent();
    assertThat(GlusterOptions.valueProblem("on\n--log-file=/tmp/x")).contains(
        "option value must not contain control characters or line breaks");
    assertThat(GlusterOptions.valueProblem(" ")).contains("option value is empty");
    assertThat(GlusterOptions.valueProblem("x".repeat(4097))).isPresent();
  }

  @Test
  void tableLinesAreStrict() {
    assertThat(GlusterOptions.parseTable("# c\nvolume a.b\ncluster c.d\n").keys())
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("a.b", Scope.VOLUME, "c.d", Scope.CLUSTER)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GlusterOptions.parseTable("volume a.b extra"))
        .isInstanceOf(IllegalStateException.class);
  }
}
