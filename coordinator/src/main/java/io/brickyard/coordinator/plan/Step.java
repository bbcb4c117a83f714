package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One desired-state step, a node of the plan's graph: a typed, check-then-act agent call. The same
 * call runs twice: with {@code dry_run} while planning (so the plan shows exactly what the agent
 * would do) and for real while applying.
 *
 * <p>Two kinds of edges, both to other steps' keys:
 * <ul>
 *   <li>{@code needs}: the step's inputs; its dry run only means something once these are true (a
 *       mount needs its filesystem). While one of them would change, the step is planned PENDING,
 *       and it runs after them.</li>
 *   <li>{@code after}: order only; the step runs after these, but its dry run does not depend on
 *       them (a node's steps run one at a time; a volume is started after its options are set).</li>
 * </ul>
 *
 * @param key what it makes true, and where
 * @param action e.g. "xfs.ensure", "gluster.volume.create"
 * @param description what it ensures, in the admin's words
 * @param target the agent that runs it (for cluster steps, the anchor's)
 * @param wipe the spec allowed erasing signatures for this step
 */
public record Step(StepKey key, String action, String description, NodeAddress target, Call call, boolean wipe,
    List<StepKey> needs, List<StepKey> after) {

  public Step {
    needs = List.copyOf(needs);
    after = List.copyOf(after);
  }

  /** A step with inputs {@code needs} and no order-only edges. */
  public Step(StepKey key, String action, String description, NodeAddress target, Call call, boolean wipe,
      List<StepKey> needs) {
    this(key, action, description, target, call, wipe, needs, List.of());
  }

  /** The human-readable id (display only). */
  public String id() {
    return key.id();
  }

  /** The spec node that runs it, or "cluster". */
  public String node() {
    return key.node();
  }

  /** This step, also ordered after {@code more}. */
  public Step runAfter(List<StepKey> more) {
    List<StepKey> a = new ArrayList<>(after);
    more.stream().filter(k -> !needs.contains(k) && !a.contains(k)).forEach(a::add);
    return new Step(key, action, description, target, call, wipe, needs, a);
  }

  /** Every step this one runs after: its inputs, then the order-only edges. */
  public List<StepKey> dependencies() {
    List<StepKey> all = new ArrayList<>(needs);
    all.addAll(after);
    return all;
  }

  /** The agent call, parameterized by options (dry run or not) and a deadline. */
  @FunctionalInterface
  public interface Call {
    OperationResult run(AgentClients clients, NodeAddress target, RequestOptions options, Duration deadline);
  }

  /**
   * A call that runs for long (a rebalance, a heal) and says how far it got while it runs: each
   * line given to {@code progress} becomes a PROGRESS event of the apply (not journaled: the
   * result says where it ended).
   */
  @FunctionalInterface
  public interface WatchedCall extends Call {
    OperationResult run(AgentClients clients, NodeAddress target, RequestOptions options, Duration deadline,
        java.util.function.Consumer<String> progress);

    @Override
    default OperationResult run(AgentClients clients, NodeAddress target, RequestOptions options, Duration deadline) {
      return run(clients, target, options, deadline, p -> { });
    }
  }
}
