package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The other volume layouts on real glusterd: a 4-node lab with a distributed-replicate 2 x 2 and
 * an arbiter volume, a 3-node lab with a disperse 3 (redundancy 1). Each applied twice: the second
 * apply changes nothing.
 */
@Tag("lab")
class ClusterLayoutsE2ETest {

  private static JsonObject volume(String name) {
    JsonObject st = JsonParser.parseString(CliRun.of("status", "-o", "json").out()).getAsJsonObject();
    for (JsonElement v : st.getAsJsonArray("volumes")) {
      if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
        return v.getAsJsonObject();
      }
    }
    throw new AssertionError("no volume " + name + " in " + st);
  }

  private static void applyTwice(String example) {
    CliRun r = CliRun.of("apply", "-f", LabHarness.example(example).toString(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    CliRun again = CliRun.of("apply", "-f", LabHarness.example(example).toString(), "--yes");
    assertThat(again.out()).as(again.out()).contains("Apply: 0 changes.");
  }

  @Test
  void fourNodesDistributedReplicateAndArbiter() throws Exception {
    LabHarness.up(4);
    try {
      applyTwice("lab-4nodes.yaml");
      JsonObject dr = volume("dr");
      assertThat(dr.get("type").getAsString()).isEqualTo("Distributed-Replicate");
      assertThat(dr.get("layout").getAsString()).isEqualTo("2 x 2 = 4");
      assertThat(dr.get("status").getAsString()).isEqualTo("Started");
      LabHarness.Exec info = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "arb");
      assertThat(info.out()).contains("Type: Replicate").contains("Number of Bricks: 1 x (2 + 1) = 3")
          .contains("Brick3: gluster3:/gluster/arb/brick1/brick (arbiter)").contains("Status: Started");
    } finally {
      LabHarness.down();
    }
  }

  @Test
  void threeNodesDisperse() throws Exception {
    LabHarness.up(3);
    try {
      applyTwice("lab-3nodes-disperse.yaml");
      LabHarness.Exec info = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "ec");
      assertThat(info.out()).contains("Type: Disperse").contains("Number of Bricks: 1 x (2 + 1) = 3")
          .contains("Status: Started");
      assertThat(volume("ec").getAsJsonArray("bricks")).hasSize(3)
          .allSatisfy(b -> assertThat(b.getAsJsonObject().get("online").getAsBoolean()).isTrue());
    } finally {
      LabHarness.down();
    }
  }
}
