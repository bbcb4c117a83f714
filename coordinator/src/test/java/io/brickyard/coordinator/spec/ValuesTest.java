package io.brickyard.coordinator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small value parsers the spec is built from: sizes and typo hints (CIDRs and agent addresses: proto common.net). */
class ValuesTest {

  @ParameterizedTest
  @CsvSource({"1K,1024,1K", "512k,524288,512K", "1G,1073741824,1G", "1024M,1073741824,1G",
      "1536M,1610612736,1536M", "2T,2199023255552,2T", "8191T,9006099743113216,8191T"})
  void sizesAreBinaryAndPrintInTheLargestExactUnit(String text, long bytes, String canonical) {
    Size s = Size.parse(text);
    assertThat(s.bytes()).isEqualTo(bytes);
    assertThat(s.lvmArgument()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1024", "1GB", "1.5G", "-1G", "0G", "G", "1 P", "99999999999T"})
  void badSizesAreRefused(String text) {
    assertThatThrownBy(() -> Size.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text);
  }

  @Test
  void poolSizesTakeBothForms() {
    assertThat(PoolSize.parse("100%FREE")).isEqualTo(new PercentSize(100, PercentSize.Base.FREE));
    assertThat(PoolSize.parse("80%vg").lvmArgument()).isEqualTo("80%VG");
    assertThat(PoolSize.parse("5G")).isEqualTo(Size.ofGib(5));
    assertThatThrownBy(() -> PoolSize.parse("0%FREE")).hasMessage("size '0%FREE': percentage must be between 1 and 100");
  }

  @Test
  void typoSuggestions() {
    assertThat(YamlReader.closest("trusted_sources", java.util.List.of("zone", "trustedSources", "services")))
        .isEqualTo("trustedSources");
    assertThat(YamlReader.closest("mountpoint", java.util.List.of("device", "mountPoint"))).isEqualTo("mountPoint");
    assertThat(YamlReader.closest("colour", java.util.List.of("name", "type", "bricks"))).isNull();
  }

  @Test
  void yamlIsLoadedSafelyAndLiterally() {
    // Plain scalars stay text: no Norway problem, no octal, no sexagesimal, no dates.
    Object tree = SpecParser.loader().load("a: no\nb: 0755\nc: 1:20\nd: 2024-01-01\ne:\nf: ~\n");
    java.util.Map<String, Object> expected = new java.util.LinkedHashMap<>();
    expected.put("a", "no");
    expected.put("b", "0755");
    expected.put("c", "1:20");
    expected.put("d", "2024-01-01");
    expected.put("e", null);
    expected.put("f", null);
    assertThat(tree).isEqualTo(expected);
  }

  @Test
  void explicitStandardTagsBecomeTypeErrorsNotObjects() {
    String yaml = "apiVersion: brickyard/v1\nkind: Cluster\nmetadata: {name: !!binary aGVsbG8=}\n"
        + "nodes: [{name: n1}]\n";
    assertThat(SpecParser.analyze(yaml, "t").issues()).containsExactly(
        Issue.error("metadata.name", "expected a string, got binary data"));
  }

  @Test
  void aliasBombsAreRefused() {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 0; i < 8; i++) {
      y.append((char) ('b' + i)).append(": &").append((char) ('b' + i)).append(" [")
          .append(("*" + (char) ('a' + i) + ", ").repeat(9)).append('*').append((char) ('a' + i)).append("]\n");
    }
    assertThat(SpecParser.analyze(y.toString(), "bomb").errors()).singleElement()
        .satisfies(i -> assertThat(i.path()).isEqualTo(Issue.DOCUMENT))
        .satisfies(i -> assertThat(i.message()).contains("Number of aliases for non-scalar nodes exceeds"));
  }

  /** SnakeYAML's nesting limit (SpecParser sets 30): deeper documents are one error, not a StackOverflowError. */
  @Test
  void deepNestingIsRefused() {
    for (String deep : List.of("metadata: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
        "metadata:\n" + nestedBlock(40))) {
      assertThat(SpecParser.analyze(deep, "deep").errors()).singleElement()
          .satisfies(i -> assertThat(i.path()).isEqualTo(Issue.DOCUMENT))
          .satisfies(i -> assertThat(i.message()).contains("Nesting Depth exceeded max 30"));
    }
  }

  /** SnakeYAML's code point limit (SpecParser sets 1 Mi): a bigger document is one error, read no further. */
  @Test
  void oversizedDocumentsAreRefused() {
    String big = "apiVersion: brickyard/v1\nkind: Cluster\nmetadata: {name: t}\npad: " + "x".repeat(1 << 20) + "\n";
    assertThat(SpecParser.analyze(big, "big").errors()).singleElement()
        .satisfies(i -> assertThat(i.path()).isEqualTo(Issue.DOCUMENT))
        .satisfies(i -> assertThat(i.message()).contains("exceeds the limit: 1048576 code points"));
  }

  private static String nestedBlock(int levels) {
    StringBuilder y = new StringBuilder();
    for (int l = 0; l < levels; l++) {
      y.append("  ".repeat(l + 1)).append("k").append(l).append(":\n");
    }
    return y.toString();
  }

  @Test
  void anchorsAndMergeKeysWorkForRepeatedLayouts() throws Exception {
    String yaml = "apiVersion: brickyard/v1\nkind: Cluster\nmetadata: {name: m}\n"
        + "nodes: [{name: a}, {name: b}]\n"
        + "x-shared: &base {device: /dev/sdb, mountPoint: /b/1}\n";
    // Unknown top-level keys are refused even when only used as anchor holders.
    assertThat(SpecParser.analyze(yaml, "t").errors()).extracting(Issue::path).containsExactly("x-shared");
    String merged = "apiVersion: brickyard/v1\nkind: Cluster\nmetadata: {name: m}\n"
        + "nodes: [{name: a}, {name: b}]\n"
        + "storage:\n  defaults:\n    - &base {device: /dev/sdb, mountPoint: /b/1}\n"
        + "  nodes:\n    b:\n      - {<<: *base, device: /dev/vdb}\n";
    ClusterSpec s = SpecParser.parse(merged, "merged");
    assertThat(s.storageFor("b")).singleElement().isInstanceOfSatisfying(XfsDevice.class, x -> {
      assertThat(x.device()).isEqualTo("/dev/vdb");
      assertThat(x.mountPoint()).isEqualTo("/b/1");
    });
  }
}
