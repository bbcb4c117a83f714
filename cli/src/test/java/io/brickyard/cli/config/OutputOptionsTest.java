package io.brickyard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.HistoryResponse;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.cli.config.OutputOptions.Format;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class OutputOptionsTest {
  private static JsonObject json(com.google.protobuf.MessageOrBuilder m) throws Exception {
    return JsonParser.parseString(OutputOptions.render(Format.json, m)).getAsJsonObject();
  }

  @Test
  void emptyListsFalseAndZeroAreThereForScripts() throws Exception {
    JsonObject plan = json(PlanResponse.newBuilder().setFingerprint("abc").build());
    assertThat(plan.getAsJsonArray("steps")).isEmpty();
    assertThat(plan.getAsJsonArray("unmanaged")).isEmpty();
    assertThat(plan.get("blocked").getAsBoolean()).isFalse();
    JsonObject status = json(ClusterStatus.getDefaultInstance());
    assertThat(status.getAsJsonArray("drift")).isEmpty();
    assertThat(status.getAsJsonArray("unmanaged")).isEmpty();
    assertThat(status.getAsJsonArray("volumes")).isEmpty();
  }

  /** A YAML parser reads back exactly what the JSON says: same keys, values and types. */
  @Test
  void yamlCarriesTheSameTreeAsJson() throws Exception {
    HistoryResponse h = HistoryResponse.newBuilder()
        .addEntries(JournalEntry.newBuilder().setId("20261201-1").setStartedEpochMillis(1764590000123L).setElapsedMillis(0)
            .setSuccess(true).setChanged(3).setSourceName("lab: 'quoted' #not-a-comment").setError("a: b\nsecond line"))
        .addEntries(JournalEntry.newBuilder().setId("yes").setKind("vip-move"))
        .build();
    String yaml = OutputOptions.render(Format.yaml, h);
    Object fromYaml = new Yaml().load(yaml);
    Object fromJson = new Gson().fromJson(OutputOptions.render(Format.json, h), Object.class);
    assertThat(normalize(fromYaml)).isEqualTo(normalize(fromJson));
    // Block style for people reading it; int64 stays a string as in proto3 JSON, int32 a number.
    assertThat(yaml).startsWith("entries:\n- id: 20261201-1\n");
    assertThat(yaml).contains("  startedEpochMillis: '1764590000123'\n").contains("  changed: 3\n")
        .contains("  success: true\n").contains("- id: 'yes'\n");
    assertThat(OutputOptions.render(Format.yaml, HistoryResponse.getDefaultInstance())).isEqualTo("entries: []\n");
  }

  /** Gson reads every JSON number as a double; YAML has integers: compare numbers by value. */
  private static Object normalize(Object o) {
    if (o instanceof Map<?, ?> m) {
      var r = new java.util.LinkedHashMap<Object, Object>();
      m.forEach((k, v) -> r.put(k, normalize(v)));
      return r;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(OutputOptionsTest::normalize).toList();
    }
    return o instanceof Number n ? (Object) n.doubleValue() : o;
  }
}
