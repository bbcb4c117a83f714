package io.brickyard.cli.apply;

import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.PlanStep;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A plan as a Graphviz DOT graph ({@code brickyard plan --graph}): one box per step, coloured by
 * its state, grouped per node (cluster-wide steps together); an arrow from each step to the steps
 * that depend on it: solid for an input (the step is checked only after it), dashed for order only.
 */
public final class PlanGraph {
  private PlanGraph() {}

  public static void print(PlanResponse p, PrintWriter out) {
    out.println("digraph plan {");
    out.println("  rankdir=LR;");
    out.println("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];");
    out.println("  edge [color=\"#555555\"];");
    Map<String, List<PlanStep>> byNode = new LinkedHashMap<>();
    p.getStepsList().forEach(s -> byNode.computeIfAbsent(s.getNode(), k -> new java.util.ArrayList<>()).add(s));
    int i = 0;
    for (var e : byNode.entrySet()) {
      out.println("  subgraph " + quote("cluster_" + i++) + " {");
      out.println("    label=" + quote(e.getKey().equals("cluster") ? "cluster-wide" : "node " + e.getKey()) + ";");
      for (PlanStep s : e.getValue()) {
        out.println("    " + quote(s.getId()) + " [label=" + quote(s.getDescription() + "\n" + state(s))
            + ", fillcolor=" + quote(color(s)) + "];");
      }
      out.println("  }");
    }
    Set<String> shown = p.getStepsList().stream().map(PlanStep::getId).collect(Collectors.toSet());
    for (PlanStep s : p.getStepsList()) {
      for (String dep : s.getDependsOnList()) {
        if (shown.contains(dep)) {
          out.println("  " + quote(dep) + " -> " + quote(s.getId()) + (s.getNeedsList().contains(dep) ? "" : " [style=dashed]")
              + ";");
        }
      }
    }
    out.println("}");
    out.flush();
  }

  private static String state(PlanStep s) {
    return switch (s.getState()) {
      case CHANGE -> s.getDestructive() ? "DESTROYS DATA" : "change";
      case PENDING -> "pending: after " + s.getWaitsFor();
      case REFUSED -> "REFUSED: " + s.getRefusedReason();
      case CONVERGED -> "converged";
      default -> s.getRefused() ? "REFUSED" : "change";
    };
  }

  private static String color(PlanStep s) {
    return switch (s.getState()) {
      case CONVERGED -> "#d9f2d9";
      case PENDING -> "#e6e6e6";
      case REFUSED -> "#f4b6b6";
      default -> s.getDestructive() ? "#f4b6b6" : "#fff2b3";
    };
  }

  /** A DOT quoted string: backslash and double quote escaped, a newline as DOT's centred line break. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
