package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GetRebalanceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RebalanceNode;
import io.brickyard.api.agent.v1.RebalanceRequest;
import io.brickyard.api.agent.v1.RebalanceStatus;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.grpc.Status;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The rebalance step's call: the agent starts the rebalance the volume owes (its marker, see the
 * agent's VolumeGrowth), then the coordinator polls {@code volume rebalance VOL status} every
 * {@link #POLL} and reports each node's files scanned and moved until it ends. Completed without
 * failures: the agent marks it done. Failed, stopped or with failures: the step fails and the
 * marker stays "started", so the next apply starts it again (gluster skips what already moved).
 * No overall deadline: a rebalance of a big volume takes hours, each poll has the step deadline.
 */
final class RebalanceCall implements Step.WatchedCall {
  static final Duration POLL = Duration.ofSeconds(2);
  /** How long a just-started rebalance may still read "not started" before the step gives up. */
  static final Duration START_GRACE = Duration.ofSeconds(60);
  private final String volume;

  RebalanceCall(String volume) {
    this.volume = volume;
  }

  @Override
  public OperationResult run(AgentClients clients, NodeAddress target, RequestOptions options, Duration deadline,
      Consumer<String> progress) {
    RebalanceRequest req = RebalanceRequest.newBuilder().setVolume(volume).setOptions(options).build();
    OperationResult first = clients.gluster(target, deadline).rebalance(req);
    if (options.getDryRun()) {
      return first;
    }
    long t0 = System.nanoTime();
    RebalanceStatus s;
    while (true) {
      s = clients.gluster(target, deadline).getRebalance(GetRebalanceRequest.newBuilder().setVolume(volume).build());
      if (s.getMarker().isEmpty() || s.getMarker().equals("done")) {
        return first; // nothing owed (someone else's run completed it)
      }
      boolean justStarted = s.getStatus().equals("not started")
          && System.nanoTime() - t0 < START_GRACE.toNanos();
      if (!s.getStatus().equals("in progress") && !justStarted) {
        break;
      }
      progress.accept(describe(s));
      sleep(POLL);
    }
    if (!s.getStatus().equals("completed") || s.getAggregate().getFailures() > 0) {
      throw Status.ABORTED.withDescription("rebalance of " + volume + " ended " + s.getStatus() + " ("
          + describe(s) + "): see /var/log/glusterfs/" + volume + "-rebalance.log on each node; apply again"
          + " starts it again").asRuntimeException();
    }
    OperationResult end = clients.gluster(target, deadline).rebalance(
        RebalanceRequest.newBuilder().setVolume(volume).setOptions(options.toBuilder().setDryRun(false)).build());
    return end.toBuilder().setChanged(first.getChanged() || end.getChanged())
        .setSummary("rebalance of " + volume + " completed: " + describe(s))
        .clearCommands().addAllCommands(first.getCommandsList()).addAllCommands(end.getCommandsList()).build();
  }

  /** One line: "gluster1: 120 scanned, 40 moved, 0 failures, in progress; gluster2: ...". */
  static String describe(RebalanceStatus s) {
    if (s.getNodesCount() == 0) {
      return s.getStatus();
    }
    return s.getNodesList().stream().map(RebalanceCall::describe).collect(Collectors.joining("; "));
  }

  static String describe(RebalanceNode n) {
    return n.getNode() + ": " + n.getFilesScanned() + " scanned, " + n.getFilesMoved() + " moved, "
        + n.getFailures() + " failures, " + n.getStatus();
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while waiting for the rebalance of " + volume)
          .asRuntimeException();
    }
  }
}
