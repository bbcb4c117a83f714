package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GetHealRequest;
import io.brickyard.api.agent.v1.HealStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.grpc.Status;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The heal step after a replica count went up (docs/day2.md): the new bricks start empty and the
 * self-heal daemon copies every file onto them; the step polls {@code volume heal VOL info summary}
 * every {@link #POLL} with each brick's pending count until every brick is connected with nothing
 * pending. A dry run reads once and says what it would wait for. A split-brain stops the wait (no
 * heal resolves it: {@code brickyard heal VOL --split-brain}).
 */
final class HealCall implements Step.WatchedCall {
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration LIMIT = Duration.ofHours(6);
  private final String volume;

  HealCall(String volume) {
    this.volume = volume;
  }

  @Override
  public OperationResult run(AgentClients clients, NodeAddress target, RequestOptions options, Duration deadline,
      Consumer<String> progress) {
    if (options.getDryRun()) {
      return OperationResult.newBuilder().setChanged(false).setSummary("waits until every brick of " + volume
          + " is connected with no entry pending heal").build();
    }
    long until = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      HealStatus h = clients.gluster(target, deadline).getHeal(GetHealRequest.newBuilder().setVolume(volume).build());
      String line = h.getBricksList().stream().map(b -> b.getBrick() + " " + (b.getConnected() ? b.getPending()
          + " pending" : "not connected")).collect(Collectors.joining("; "));
      if (h.getBricksCount() > 0 && h.getBricksList().stream().allMatch(b -> b.getConnected() && b.getPending() == 0)) {
        return OperationResult.newBuilder().setChanged(false).setSummary("healed: " + line).build();
      }
      if (h.getBricksList().stream().anyMatch(b -> b.getSplitBrain() > 0)) {
        throw Status.ABORTED.withDescription("split-brain in " + volume + " (" + line + "): brickyard heal " + volume
            + " --split-brain").asRuntimeException();
      }
      if (System.nanoTime() > until) {
        throw Status.DEADLINE_EXCEEDED.withDescription("the heal of " + volume + " is not done after " + LIMIT.toHours()
            + " h (" + line + ")").asRuntimeException();
      }
      progress.accept(line);
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
      }
    }
  }
}
