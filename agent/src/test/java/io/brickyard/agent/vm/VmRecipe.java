package io.brickyard.agent.vm;

import io.brickyard.api.agent.v1.OperationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A node recipe as the coordinator would send it: an ordered list of Ensure RPCs, always sent in
 * full. Running it from any state must converge; the summary line (which steps changed, which
 * failed) is what lets the host test say "only the missing steps changed".
 */
final class VmRecipe {
  private final Map<String, Supplier<OperationResult>> steps = new LinkedHashMap<>();

  VmRecipe step(String name, Supplier<OperationResult> rpc) {
    steps.put(name, rpc);
    return this;
  }

  /**
   * Runs every step (a failed step does not stop the rest: each RPC reads the node itself), each
   * reported as {@code prefix + name}, then one summary line named {@code summary}.
   */
  void run(VmSteps out, String prefix, String summary) {
    List<String> changed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Map.Entry<String, Supplier<OperationResult>> s : steps.entrySet()) {
      Boolean c = out.call(prefix + s.getKey(), s.getValue());
      if (c == null) {
        failed.add(s.getKey());
      } else if (c) {
        changed.add(s.getKey());
      }
    }
    VmSteps.emit(summary, Map.of("steps", List.copyOf(steps.keySet()), "changed", changed, "failed", failed));
  }
}
