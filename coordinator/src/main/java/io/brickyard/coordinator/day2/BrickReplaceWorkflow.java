package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.BrickHeal;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.GetHealRequest;
import io.brickyard.api.agent.v1.GetPoolRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.HealStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ReplaceBrickRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.JournalEntry;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.EventSink;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code brickyard brick replace VOLUME OLD NEW} (docs/day2.md). Everything is checked before
 * anything runs: the volume exists, OLD is one of its bricks (or already replaced by NEW: then only
 * the heal is waited for), OLD's replica set has another brick online (named when it has none),
 * NEW is on a node of the spec whose agent answers and whose glusterd is a connected peer, and its
 * directory is prepared (on a brick filesystem, not on /) and empty. Then: NEW's directory made,
 * {@code replace-brick ... commit force} (the agent checks again), and the heal waited for with
 * each brick's pending count until every brick is connected with nothing pending. Progress streams
 * as an apply's step events; the whole run is journaled (kind brick-replace). Rerunning after a
 * stop converges: a done replace is unchanged, the heal is waited for again.
 */
public final class BrickReplaceWorkflow {
  private static final Logger log = LoggerFactory.getLogger(BrickReplaceWorkflow.class);
  static final Duration POLL = Duration.ofSeconds(2);
  private final AgentClients clients;
  private final Journal journal;
  private final ClusterLock lock;
  private final Duration deadline;

  public BrickReplaceWorkflow(AgentClients clients, Journal journal, ClusterLock lock, Duration deadline) {
    this.clients = clients;
    this.journal = journal;
    this.lock = lock;
    this.deadline = deadline;
  }

  public Day2Outcome replace(io.brickyard.api.coordinator.v1.ReplaceBrickRequest req, EventSink sink) {
    Day2Spec parsed = Day2Spec.parse(req.getSpecYaml(), req.getSourceName());
    if (parsed.invalid() != null) {
      return parsed.invalid();
    }
    ClusterSpec spec = parsed.spec();
    String source = parsed.source();
    Brick oldB;
    Brick newB;
    try {
      oldB = Brick.parse(req.getOldBrick());
      newB = Brick.parse(req.getNewBrick());
    } catch (IllegalArgumentException e) {
      return new Day2Outcome.Invalid("OLD/NEW: " + e.getMessage());
    }
    Optional<NodeSpec> newNode = spec.nodeForBrickHost(newB.host());
    if (newNode.isEmpty()) {
      return new Day2Outcome.Invalid("NEW: " + newB.host() + " is not a node of the spec (its nodes: "
          + spec.nodes().stream().map(NodeSpec::name).toList() + ")");
    }
    String oldName = spec.nodeForBrickHost(oldB.host()).map(NodeSpec::glusterAddress).orElse(oldB.host()) + ":"
        + oldB.path();
    String newName = newNode.get().glusterAddress() + ":" + newB.path();
    String vol = req.getVolume();
    String what = "brick replace of " + oldName + " by " + newName + " in " + vol;
    if (!lock.tryLock(what)) {
      return Day2Outcome.Busy.heldBy(lock);
    }
    try {
      return run(req, spec, vol, oldName, newName, newNode.get(), newB.path(), source, sink);
    } finally {
      lock.unlock();
    }
  }

  private Day2Outcome run(io.brickyard.api.coordinator.v1.ReplaceBrickRequest req, ClusterSpec spec, String vol,
      String oldName, String newName, NodeSpec newNode, String newPath, String source, EventSink sink) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    // the anchor: the first node of the spec whose glusterd answers (OLD's node may be the dead one)
    NodeAddress anchor = null;
    GlusterVolume v = null;
    GlusterPool pool = null;
    List<String> tried = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      NodeAddress a = DesiredSteps.address(n);
      try {
        GlusterPool p = clients.gluster(a, deadline).getPool(GetPoolRequest.getDefaultInstance());
        if (!p.getGlusterdReachable()) {
          tried.add(n.name() + ": glusterd down");
          continue;
        }
        List<GlusterVolume> vols = clients.gluster(a, deadline).getVolumes(GetVolumesRequest.newBuilder()
            .setWithStatus(true).build()).getVolumesList();
        anchor = a;
        pool = p;
        v = vols.stream().filter(x -> x.getName().equals(vol)).findFirst().orElse(null);
        break;
      } catch (StatusRuntimeException e) {
        tried.add(n.name() + ": " + NodeProbe.describe(e));
      }
    }
    if (anchor == null) {
      return new Day2Outcome.Refused("no node of the spec answers with a running glusterd (" + String.join("; ", tried) + ")");
    }
    if (v == null) {
      return new Day2Outcome.Invalid("VOLUME: " + vol + " does not exist");
    }
    List<String> bricks = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    boolean done = !bricks.contains(oldName) && bricks.contains(newName);
    if (!done) {
      Optional<String> problem = precheck(v, bricks, oldName, newName, newNode, newPath, pool, anchor.name());
      if (problem.isPresent()) {
        return new Day2Outcome.Refused(problem.get() + "; nothing was run");
      }
    }
    if (req.getDryRun()) {
      String msg = done ? oldName + " was already replaced by " + newName + "; the heal would be waited for"
          : "checks passed: would make " + newPath + " on " + newNode.name() + ", run gluster volume replace-brick "
          + vol + " " + oldName + " " + newName + " commit force, then wait for the heal";
      sink.send(ApplyEvent.newBuilder().setStep(StepEvent.newBuilder().setStepId("cluster/replace-brick:" + vol)
          .setNode("cluster").setDescription("dry run").setState(StepEvent.State.UNCHANGED).setMessage(msg)).build());
      return new Day2Outcome.Done(ApplySummary.newBuilder().setSuccess(true).setUnchanged(1)
          .setElapsedMillis(ms(t0)).build());
    }
    Steps steps = new Steps(sink);
    NodeAddress nn = DesiredSteps.address(newNode);
    NodeAddress a = anchor;
    if (!done) {
      steps.run(newNode.name() + "/storage/brick:" + newPath, newNode.name(), "new brick directory " + newPath,
          () -> clients.storage(nn, deadline).ensureBrickDirectory(EnsureBrickDirectoryRequest.newBuilder()
              .setPath(newPath).setRequireEmpty(true).build()));
    }
    steps.run("cluster/replace-brick:" + vol, "cluster", "replace " + oldName + " by " + newName + " in " + vol,
        () -> clients.gluster(a, deadline).replaceBrick(ReplaceBrickRequest.newBuilder().setVolume(vol)
            .setOldBrick(oldName).setNewBrick(newName).setOptions(RequestOptions.getDefaultInstance()).build()));
    Duration limit = Duration.ofSeconds(req.getHealTimeoutSeconds() > 0 ? req.getHealTimeoutSeconds() : 3600);
    steps.run("cluster/heal:" + vol, "cluster", "heal of " + vol + " (pending entries 0 on every brick)",
        p -> awaitHeal(a, vol, newName, limit, p));
    ApplySummary.Builder s = steps.summary().setElapsedMillis(ms(t0));
    return new Day2Outcome.Done(journal(s, started, source, spec, oldName + " -> " + newName + " in " + vol, steps.events));
  }

  /** Why the replacement may not run, or empty. */
  private Optional<String> precheck(GlusterVolume v, List<String> bricks, String oldName, String newName,
      NodeSpec newNode, String newPath, GlusterPool pool, String anchorName) {
    if (!bricks.contains(oldName)) {
      return Optional.of("OLD: " + oldName + " is not a brick of " + v.getName() + " (its bricks: " + bricks + ")");
    }
    if (bricks.contains(newName)) {
      return Optional.of("NEW: " + newName + " is already a brick of " + v.getName());
    }
    int set = v.getDisperseCount() > 0 ? v.getDisperseCount() : v.getReplicaCount();
    if (set <= 1) {
      return Optional.of("volume " + v.getName() + " is " + v.getType() + ": " + oldName + " holds the only copy of its"
          + " files (brickyard brick remove migrates them first)");
    }
    int i = bricks.indexOf(oldName);
    List<GlusterBrick> others = new ArrayList<>(v.getBricksList().subList(i / set * set, i / set * set + set));
    others.removeIf(b -> b.getName().equals(oldName));
    List<String> online = others.stream().filter(GlusterBrick::getOnline).map(GlusterBrick::getName).toList();
    int needed = v.getDisperseCount() > 0 ? v.getDisperseCount() - v.getRedundancyCount() : 1;
    if (online.size() < needed) {
      return Optional.of("the replica set of " + oldName + " has no other brick online (" + others.stream()
          .map(GlusterBrick::getName).collect(Collectors.joining(", ")) + " offline): its files have no healthy copy"
          + " to heal " + newName + " from");
    }
    boolean peer = anchorName.equals(newNode.name()) || pool.getPeersList().stream().anyMatch(p -> !p.getSelf()
        && p.getConnected() && (p.getHostname().equalsIgnoreCase(newNode.glusterAddress())
        || p.getHostnamesList().stream().anyMatch(h -> h.equalsIgnoreCase(newNode.glusterAddress()))));
    if (!peer) {
      return Optional.of("NEW: " + newNode.name() + " is not a connected peer of the trusted pool");
    }
    try {
      OperationResult dry = clients.storage(DesiredSteps.address(newNode), deadline).ensureBrickDirectory(
          EnsureBrickDirectoryRequest.newBuilder().setPath(newPath).setRequireEmpty(true)
              .setOptions(RequestOptions.newBuilder().setDryRun(true)).build());
      log.info("replace precheck of {} on {}: {}", newPath, newNode.name(), dry.getSummary());
    } catch (StatusRuntimeException e) {
      return Optional.of("NEW: " + newNode.name() + ":" + newPath + ": " + (e.getStatus().getDescription() != null
          ? e.getStatus().getDescription() : NodeProbe.describe(e)));
    }
    return Optional.empty();
  }

  private OperationResult awaitHeal(NodeAddress anchor, String vol, String newName, Duration limit,
      java.util.function.Consumer<String> progress) {
    long until = System.nanoTime() + limit.toNanos();
    while (true) {
      HealStatus h = clients.gluster(anchor, deadline).getHeal(GetHealRequest.newBuilder().setVolume(vol).build());
      boolean newSeen = h.getBricksList().stream().anyMatch(b -> b.getBrick().equals(newName) && b.getConnected());
      boolean clean = h.getBricksCount() > 0 && h.getBricksList().stream()
          .allMatch(b -> b.getConnected() && b.getPending() == 0);
      String line = h.getBricksList().stream().map(BrickHeal::getBrick).count() == 0 ? "no bricks answered"
          : h.getBricksList().stream().map(b -> b.getBrick() + " " + (b.getConnected() ? b.getPending() + " pending"
              + (b.getSplitBrain() > 0 ? " (" + b.getSplitBrain() + " split-brain)" : "") : "not connected"))
          .collect(Collectors.joining("; "));
      if (clean && newSeen) {
        return OperationResult.newBuilder().setChanged(false).setSummary("healed: " + line).build();
      }
      if (h.getBricksList().stream().anyMatch(b -> b.getSplitBrain() > 0)) {
        throw io.grpc.Status.ABORTED.withDescription("split-brain in " + vol + " (" + line + "): no heal resolves it;"
            + " brickyard heal " + vol + " --split-brain shows the files and gluster's resolution commands")
            .asRuntimeException();
      }
      if (System.nanoTime() > until) {
        throw io.grpc.Status.DEADLINE_EXCEEDED.withDescription("the heal of " + vol + " is not done after "
            + limit.toSeconds() + " s (" + line + "); run the command again to keep waiting").asRuntimeException();
      }
      progress.accept(line);
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw io.grpc.Status.CANCELLED.withDescription("interrupted").asRuntimeException();
      }
    }
  }

  private ApplySummary journal(ApplySummary.Builder s, Instant started, String source, ClusterSpec spec, String summary,
      List<StepEvent> events) {
    JournalEntry e = JournalEntry.newBuilder().setId(Journal.id(started)).setKind(Journal.KIND_BRICK_REPLACE)
        .setStartedEpochMillis(started.toEpochMilli()).setElapsedMillis(s.getElapsedMillis()).setSpecSha256(spec.sha256())
        .setSourceName(source).setSuccess(s.getSuccess()).setChanged(s.getChanged()).setFailed(s.getFailed())
        .setError(s.getError()).setSummary(summary).build();
    try {
      journal.write(e, events);
      s.setJournalId(e.getId());
    } catch (IOException ex) {
      log.error("cannot write the journal entry of {}: {}", summary, ex.getMessage());
    }
    return s.build();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
