package io.brickyard.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.PlanStep;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PlanGraphTest {
  @Test
  void stepsAreBoxesWithTheirStateAndEdgesGoFromADependencyToItsDependent() {
    PlanResponse p = PlanResponse.newBuilder()
        .addSteps(PlanStep.newBuilder().setId("g1/storage/xfs:/dev/sdb").setNode("g1").setDescription("XFS on /dev/sdb")
            .setState(PlanStep.State.CHANGE))
        .addSteps(PlanStep.newBuilder().setId("g1/storage/mount:/b").setNode("g1").setDescription("mounted at \"/b\"")
            .setState(PlanStep.State.PENDING).setWaitsFor("g1/storage/xfs:/dev/sdb")
            .addDependsOn("g1/storage/xfs:/dev/sdb").addNeeds("g1/storage/xfs:/dev/sdb"))
        .addSteps(PlanStep.newBuilder().setId("cluster/start:vol1").setNode("cluster").setDescription("volume vol1 started")
            .setState(PlanStep.State.CONVERGED).addDependsOn("cluster/volume:vol1").addDependsOn("g1/storage/mount:/b"))
        .build();
    StringWriter w = new StringWriter();
    PlanGraph.print(p, new PrintWriter(w, true));
    String dot = w.toString();
    assertThat(dot).startsWith("digraph plan {\n").endsWith("}\n")
        .contains("label=\"node g1\";").contains("label=\"cluster-wide\";")
        .contains("\"g1/storage/xfs:/dev/sdb\" [label=\"XFS on /dev/sdb\\nchange\", fillcolor=\"#fff2b3\"];")
        .contains("\"g1/storage/mount:/b\" [label=\"mounted at \\\"/b\\\"\\npending: after g1/storage/xfs:/dev/sdb\"")
        .contains("\"cluster/start:vol1\" [label=\"volume vol1 started\\nconverged\", fillcolor=\"#d9f2d9\"];")
        .contains("  \"g1/storage/xfs:/dev/sdb\" -> \"g1/storage/mount:/b\";\n")
        .contains("  \"g1/storage/mount:/b\" -> \"cluster/start:vol1\" [style=dashed];\n")
        // a dependency not in the graph (not listed) gets no dangling edge
        .doesNotContain("\"cluster/volume:vol1\" ->");
  }
}
