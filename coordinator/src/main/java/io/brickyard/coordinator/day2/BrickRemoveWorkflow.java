package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.GetRemoveBricksRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RebalanceNode;
import io.brickyard.api.agent.v1.RebalanceStatus;
import io.brickyard.api.agent.v1.RemoveBricksRequest;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.EventSink;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code brickyard brick remove VOLUME BRICK...} (docs/day2.md): whole sets only, never the last;
 * every brick of the volume online (gluster refuses to migrate off a stopped one, and the files of
 * a set are read from it). Then {@code remove-brick start}, the migration waited for with each
 * node's files scanned and moved, and {@code commit} only when it completed with no failures (the
 * agent checks that again). The brick directories are kept. A rerun converges: a started migration
 * is waited for, a committed removal is unchanged.
 */
public final class BrickRemoveWorkflow {
  static final Duration POLL = Duration.ofSeconds(2);
  private final AgentClients clients;
  private final Day2Journal journal;
  private final ClusterLock lock;
  private final Duration deadline;

  public BrickRemoveWorkflow(AgentClients clients, Journal journal, ClusterLock lock, Duration deadline) {
    this.clients = clients;
    this.journal = new Day2Journal(journal);
    this.lock = lock;
    this.deadline = deadline;
  }

  public Day2Outcome remove(io.brickyard.api.coordinator.v1.RemoveBricksRequest req, EventSink sink) {
    Day2Spec parsed = Day2Spec.parse(req.getSpecYaml(), req.getSourceName());
    if (parsed.invalid() != null) {
      return parsed.invalid();
    }
    ClusterSpec spec = parsed.spec();
    String source = parsed.source();
    if (req.getBricksCount() == 0) {
      return new Day2Outcome.Invalid("BRICK: name the bricks to remove (whole replica/disperse sets)");
    }
    List<String> bricks = new ArrayList<>();
    for (String b : req.getBricksList()) {
      try {
        Brick.parse(b);
      } catch (IllegalArgumentException e) {
        return new Day2Outcome.Invalid("BRICK: " + e.getMessage());
      }
      bricks.add(Anchor.glusterName(spec, b));
    }
    String vol = req.getVolume();
    if (!lock.tryLock("brick remove of " + bricks + " from " + vol)) {
      return Day2Outcome.Busy.heldBy(lock);
    }
    try {
      Instant started = Instant.now();
      long t0 = System.nanoTime();
      List<String> why = new ArrayList<>();
      Anchor a = Anchor.find(spec, clients, deadline, "", why);
      if (a == null) {
        return new Day2Outcome.Refused("no node of the spec answers with a running glusterd (" + String.join("; ", why)
            + ")");
      }
      GlusterVolume v = a.volume(vol).orElse(null);
      if (v == null) {
        return new Day2Outcome.Invalid("VOLUME: " + vol + " does not exist");
      }
      List<String> names = v.getBricksList().stream().map(GlusterBrick::getName).toList();
      boolean gone = bricks.stream().noneMatch(names::contains);
      if (!gone) {
        List<String> missing = bricks.stream().filter(b -> !names.contains(b)).toList();
        if (!missing.isEmpty()) {
          return new Day2Outcome.Invalid("BRICK: " + missing + " are no bricks of " + vol + " (its bricks: " + names + ")");
        }
        String problem = setsProblem(v, bricks);
        if (problem != null) {
          return new Day2Outcome.Refused(problem + "; nothing was run");
        }
        List<String> offline = v.getBricksList().stream().filter(b -> !b.getOnline()).map(GlusterBrick::getName).toList();
        if (!offline.isEmpty()) {
          return new Day2Outcome.Refused("bricks of " + vol + " are offline (" + offline + "): the migration reads"
              + " every set; bring them back or replace them first (brickyard brick replace); nothing was run");
        }
      }
      if (req.getDryRun()) {
        sink.send(ApplyEvent.newBuilder().setStep(StepEvent.newBuilder().setStepId("cluster/remove-brick:" + vol)
            .setNode("cluster").setDescription("dry run").setState(StepEvent.State.UNCHANGED).setMessage(gone
                ? bricks + " are no longer bricks of " + vol : "checks passed: would run gluster volume remove-brick "
                + vol + " " + String.join(" ", bricks) + " start, wait for the migration, then commit")).build());
        return new Day2Outcome.Done(ApplySummary.newBuilder().setSuccess(true).setUnchanged(1)
            .setElapsedMillis((System.nanoTime() - t0) / 1_000_000).build());
      }
      Steps steps = new Steps(sink);
      RemoveBricksRequest.Builder rb = RemoveBricksRequest.newBuilder().setVolume(vol).addAllBricks(bricks);
      if (!gone) {
        steps.run("cluster/remove-brick-start:" + vol, "cluster", "migrate the files of " + bricks + " off",
            () -> clients.gluster(a.address(), deadline).removeBricks(rb.clone().setAction("start").build()));
        steps.run("cluster/remove-brick-migration:" + vol, "cluster", "migration off " + bricks + " completed",
            p -> awaitMigration(a, vol, bricks, p));
      }
      steps.run("cluster/remove-brick-commit:" + vol, "cluster", "remove " + bricks + " from " + vol,
          () -> clients.gluster(a.address(), deadline).removeBricks(rb.clone().setAction("commit").build()));
      ApplySummary.Builder s = steps.summary().setElapsedMillis((System.nanoTime() - t0) / 1_000_000);
      return new Day2Outcome.Done(journal.write(s, started, source, spec, Journal.KIND_BRICK_REMOVE,
          String.join(" ", bricks) + " from " + vol, steps.events));
    } finally {
      lock.unlock();
    }
  }

  /** Why {@code bricks} are not whole sets of {@code v} (or all of them), or null. */
  static String setsProblem(GlusterVolume v, List<String> bricks) {
    List<String> names = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    int set = v.getDisperseCount() > 0 ? v.getDisperseCount() : Math.max(1, v.getReplicaCount());
    for (int s = 0; s < names.size(); s += set) {
      List<String> members = names.subList(s, Math.min(names.size(), s + set));
      long in = members.stream().filter(bricks::contains).count();
      if (in != 0 && in != members.size()) {
        return "BRICK: " + members + " form one set of " + v.getName() + "; remove all of it or none";
      }
    }
    if (bricks.size() >= names.size()) {
      return "BRICK: these are all the bricks of " + v.getName() + "; delete the volume instead";
    }
    return null;
  }

  private OperationResult awaitMigration(Anchor a, String vol, List<String> bricks, Consumer<String> progress) {
    long t0 = System.nanoTime();
    while (true) {
      RebalanceStatus s = clients.gluster(a.address(), deadline).getRemoveBricks(GetRemoveBricksRequest.newBuilder()
          .setVolume(vol).addAllBricks(bricks).build());
      String line = s.getNodesList().stream().map(BrickRemoveWorkflow::describe).collect(Collectors.joining("; "));
      boolean starting = s.getStatus().equals("not started") && System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos();
      if (s.getStatus().equals("completed") && s.getAggregate().getFailures() == 0) {
        return OperationResult.newBuilder().setChanged(false).setSummary("migrated: " + line).build();
      }
      if (!s.getStatus().equals("in progress") && !starting) {
        throw Status.ABORTED.withDescription("the migration off " + bricks + " ended " + s.getStatus() + " (" + line
            + "): nothing was committed; see /var/log/glusterfs/" + vol + "-rebalance.log; run the command again to"
            + " start it again").asRuntimeException();
      }
      progress.accept(line.isEmpty() ? s.getStatus() : line);
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
      }
    }
  }

  static String describe(RebalanceNode n) {
    return n.getNode() + ": " + n.getFilesScanned() + " scanned, " + n.getFilesMoved() + " moved, " + n.getFailures()
        + " failures, " + n.getStatus();
  }
}
