package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import java.time.Duration;

/**
 * One desired-state step: a typed, check-then-act agent call on one node. The same call runs
 * twice: with {@code dry_run} while planning (so the plan shows exactly what the agent would do)
 * and for real while applying.
 *
 * @param id stable within a spec: "gluster1/storage/xfs:/dev/sdb"
 * @param node the spec node it runs on ("cluster" steps run on the anchor node's agent)
 * @param phase services | firewall | storage | peers | volumes
 * @param action e.g. "xfs.ensure", "gluster.volume.create"
 * @param description what it ensures, in the admin's words
 * @param wipe the spec allowed erasing signatures for this step
 */
public record Step(String id, String node, String phase, String action, String description, NodeAddress target,
    Call call, boolean wipe) {

  /** The agent call, parameterized by options (dry run or not) and a deadline. */
  @FunctionalInterface
  public interface Call {
    OperationResult run(AgentClients clients, NodeAddress target, RequestOptions options, Duration deadline);
  }
}
