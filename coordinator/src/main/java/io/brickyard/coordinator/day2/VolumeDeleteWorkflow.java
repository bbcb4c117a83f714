package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.DeleteVolumeRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.PurgeBrickDirectoryRequest;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.EventSink;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code brickyard volume delete NAME [--purge-bricks NAME]} (docs/day2.md). apply never deletes;
 * this does, for a volume the spec no longer has (else the next apply would create it again) and
 * that no NFS export of the spec serves: {@code volume stop} + {@code volume delete}. The brick
 * directories stay (their files are still there, readable) unless {@code --purge-bricks} names the
 * volume again: then each node's agent removes its former brick directories, each only when its
 * volume-id is the deleted volume's.
 */
public final class VolumeDeleteWorkflow {
  private final AgentClients clients;
  private final Day2Journal journal;
  private final ClusterLock lock;
  private final Duration deadline;

  public VolumeDeleteWorkflow(AgentClients clients, Journal journal, ClusterLock lock, Duration deadline) {
    this.clients = clients;
    this.journal = new Day2Journal(journal);
    this.lock = lock;
    this.deadline = deadline;
  }

  public Day2Outcome delete(io.brickyard.api.coordinator.v1.DeleteVolumeRequest req, EventSink sink) {
    Day2Spec parsed = Day2Spec.parse(req.getSpecYaml(), req.getSourceName());
    if (parsed.invalid() != null) {
      return parsed.invalid();
    }
    ClusterSpec spec = parsed.spec();
    String source = parsed.source();
    String vol = req.getVolume();
    boolean purge = !req.getPurgeBricks().isEmpty();
    if (purge && !req.getPurgeBricks().equals(vol)) {
      return new Day2Outcome.Invalid("--purge-bricks: type the volume's name again (" + vol + ") to remove its brick"
          + " directories");
    }
    if (spec.volume(vol).isPresent()) {
      return new Day2Outcome.Invalid("NAME: " + vol + " is a volume of the spec: remove it from the spec first (the next"
          + " apply would create it again)");
    }
    boolean nfs = spec.nfs().map(n -> n.recovery().volume().equals(vol)
        || n.exports().stream().anyMatch(e -> e.volume().equals(vol))).orElse(false);
    if (nfs) {
      return new Day2Outcome.Invalid("NAME: " + vol + " is served by the spec's NFS service; remove its export (and"
          + " apply) first");
    }
    if (!lock.tryLock("volume delete of " + vol)) {
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
      Optional<GlusterVolume> v = a.volume(vol);
      if (v.isEmpty() && !purge) {
        sink.send(ApplyEvent.newBuilder().setStep(StepEvent.newBuilder().setStepId("cluster/volume:" + vol)
            .setNode("cluster").setDescription("delete volume " + vol).setState(StepEvent.State.UNCHANGED)
            .setMessage("volume " + vol + " does not exist (already deleted)")).build());
        return new Day2Outcome.Done(ApplySummary.newBuilder().setSuccess(true).setUnchanged(1).build());
      }
      if (v.isEmpty()) {
        return new Day2Outcome.Refused("volume " + vol + " no longer exists: its brick directories cannot be told"
            + " from others any more (its id is gone); remove them by hand if they are no longer needed");
      }
      List<GlusterBrick> bricks = v.get().getBricksList();
      List<String> unknown = new ArrayList<>();
      for (GlusterBrick b : bricks) {
        if (purge && spec.nodeForBrickHost(b.getHost()).isEmpty()) {
          unknown.add(b.getName());
        }
      }
      if (!unknown.isEmpty()) {
        return new Day2Outcome.Refused("--purge-bricks: " + unknown + " are on hosts that are no nodes of the spec (no"
            + " agent to ask); nothing was run");
      }
      if (req.getDryRun()) {
        sink.send(ApplyEvent.newBuilder().setStep(StepEvent.newBuilder().setStepId("cluster/volume:" + vol)
            .setNode("cluster").setDescription("dry run").setState(StepEvent.State.UNCHANGED).setMessage(
                "would stop and delete volume " + vol + " (" + v.get().getStatus() + ", " + bricks.size() + " bricks)"
                + (purge ? " and remove its brick directories" : "; its brick directories stay"))).build());
        return new Day2Outcome.Done(ApplySummary.newBuilder().setSuccess(true).setUnchanged(1).build());
      }
      Steps steps = new Steps(sink);
      steps.run("cluster/volume:" + vol, "cluster", "stop and delete volume " + vol,
          () -> clients.gluster(a.address(), deadline).deleteVolume(DeleteVolumeRequest.newBuilder().setVolume(vol).build()));
      if (purge) {
        for (GlusterBrick b : bricks) {
          NodeSpec n = spec.nodeForBrickHost(b.getHost()).orElseThrow();
          NodeAddress t = DesiredSteps.address(n);
          steps.run(n.name() + "/storage/purge:" + b.getPath(), n.name(), "remove the former brick directory "
              + b.getPath(), () -> clients.storage(t, deadline).purgeBrickDirectory(PurgeBrickDirectoryRequest
              .newBuilder().setPath(b.getPath()).setVolumeId(v.get().getId()).build()));
        }
      }
      ApplySummary.Builder s = steps.summary().setElapsedMillis((System.nanoTime() - t0) / 1_000_000);
      return new Day2Outcome.Done(journal.write(s, started, source, spec, Journal.KIND_VOLUME_DELETE,
          vol + (purge ? " (bricks purged)" : ""), steps.events));
    } finally {
      lock.unlock();
    }
  }
}
