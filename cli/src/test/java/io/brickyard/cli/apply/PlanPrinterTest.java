package io.brickyard.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.cli.spec.SpecFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanPrinterTest {
  @TempDir Path dir;

  @Test
  void specWarningsTheCliPrintedAreNotRepeatedButTheCoordinatorsOwnAre() throws Exception {
    Path spec = dir.resolve("c.yaml");
    Files.writeString(spec, """
        apiVersion: brickyard/v1
        kind: Cluster
        metadata: {name: c}
        nodes:
          - {name: gluster1, address: "10.0.0.1:7443"}
          - {name: gluster2, address: "10.0.0.2:7443"}
        volumes:
          - name: vol1
            type: replicate
            replica: 2
            bricks: ["gluster1:/b/vol1", "gluster2:/b/vol1"]
        """);
    SpecFile.Loaded l = SpecFile.load(spec);
    StringWriter err = new StringWriter();
    SpecFile.print(l, new PrintWriter(err, true));
    assertThat(err.toString()).contains("warning: volumes[0].replica: replica 2 volumes are prone to split-brain");
    assertThat(l.warningTexts()).hasSize(1);

    PlanResponse p = PlanResponse.newBuilder().addAllWarnings(l.warningTexts())
        .addWarnings("node gluster2: clock is 40 s off").build();
    StringWriter out = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(out, true), l.warningTexts());
    assertThat(out.toString()).doesNotContain("split-brain").contains("warning: node gluster2: clock is 40 s off");
    StringWriter all = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(all, true));
    assertThat(all.toString()).contains("split-brain");
  }

  @Test
  void unmanagedVolumesArePrintedAsDriftThatIsLeftAlone() {
    PlanResponse p = PlanResponse.newBuilder().addUnmanaged(io.brickyard.api.coordinator.v1.Drift.newBuilder()
        .setKind("volume").setName("vol2").setDescription("volume vol2 exists (Distribute, 2 bricks, Started), not in the spec")
        .setAction("left alone")).build();
    StringWriter out = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(out, true));
    assertThat(out.toString()).isEqualTo("drift: volume vol2 exists (Distribute, 2 bricks, Started), not in the spec: "
        + "left alone\nNo changes: the cluster matches the spec.\n");
  }
}
