package io.brickyard.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.PlanResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutputOptionsTest {
  private static JsonObject json(com.google.protobuf.MessageOrBuilder m) throws Exception {
    StringWriter w = new StringWriter();
    OutputOptions.printJson(m, new PrintWriter(w, true));
    return JsonParser.parseString(w.toString()).getAsJsonObject();
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
}
