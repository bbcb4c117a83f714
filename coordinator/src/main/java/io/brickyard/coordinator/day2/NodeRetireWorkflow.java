package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.DetachPeerRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.coordinator.v1.ApplyEvent;
import io.brickyard.api.coordinator.v1.ApplySummary;
import io.brickyard.api.coordinator.v1.StepEvent;
import io.brickyard.coordinator.apply.ClusterLock;
import io.brickyard.coordinator.apply.EventSink;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code brickyard node retire NODE} (docs/day2.md): removing a node from the spec never detaches
 * it; this does, asked of another node of the spec, only when no brick of any volume is on it
 * (refused with the list of those bricks otherwise; the agent checks again). NODE is a node of the
 * spec (its gluster address is used) or a peer's hostname, as the spec may no longer list it.
 */
public final class NodeRetireWorkflow {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private final AgentClients clients;
  private final Day2Journal journal;
  private final ClusterLock lock;
  private final Duration deadline;

  public NodeRetireWorkflow(AgentClients clients, Journal journal, ClusterLock lock, Duration deadline) {
    this.clients = clients;
    this.journal = new Day2Journal(journal);
    this.lock = lock;
    this.deadline = deadline;
  }

  public Day2Outcome retire(io.brickyard.api.coordinator.v1.RetireNodeRequest req, EventSink sink) {
    Day2Spec parsed = Day2Spec.parse(req.getSpecYaml(), req.getSourceName());
    if (parsed.invalid() != null) {
      return parsed.invalid();
    }
    ClusterSpec spec = parsed.spec();
    String source = parsed.source();
    if (!HOST.matcher(req.getNode()).matches()) {
      return new Day2Outcome.Invalid("NODE: '" + req.getNode() + "' is not a node name or hostname");
    }
    String host = spec.node(req.getNode()).map(NodeSpec::glusterAddress).orElse(req.getNode());
    if (!lock.tryLock("node retire of " + host)) {
      return Day2Outcome.Busy.heldBy(lock);
    }
    try {
      Instant started = Instant.now();
      long t0 = System.nanoTime();
      List<String> why = new ArrayList<>();
      Anchor a = Anchor.find(spec, clients, deadline, req.getNode(), why);
      if (a == null) {
        return new Day2Outcome.Refused("no other node of the spec answers with a running glusterd ("
            + String.join("; ", why) + ")");
      }
      GlusterPeer peer = a.pool().getPeersList().stream().filter(p -> !p.getSelf() && (p.getHostname()
          .equalsIgnoreCase(host) || p.getHostnamesList().stream().anyMatch(host::equalsIgnoreCase))).findFirst()
          .orElse(null);
      List<String> held = new ArrayList<>();
      for (GlusterVolume v : a.volumes()) {
        for (GlusterBrick b : v.getBricksList()) {
          boolean on = b.getHost().equalsIgnoreCase(host)
              || peer != null && peer.getHostnamesList().stream().anyMatch(b.getHost()::equalsIgnoreCase);
          if (on) {
            held.add(v.getName() + ": " + b.getName());
          }
        }
      }
      if (!held.isEmpty()) {
        return new Day2Outcome.Refused(host + " still holds " + held.size() + " brick(s): " + String.join(", ", held)
            + "; move them first (brickyard brick replace / brick remove); nothing was run");
      }
      if (req.getDryRun() || peer == null) {
        sink.send(ApplyEvent.newBuilder().setStep(StepEvent.newBuilder().setStepId("cluster/peer:" + host)
            .setNode("cluster").setDescription(req.getDryRun() ? "dry run" : "retire " + host)
            .setState(StepEvent.State.UNCHANGED).setMessage(peer == null ? host + " is not in the trusted pool"
                : "no brick on " + host + ": would run gluster peer detach " + host + " on " + a.address().name())).build());
        return new Day2Outcome.Done(ApplySummary.newBuilder().setSuccess(true).setUnchanged(1)
            .setElapsedMillis((System.nanoTime() - t0) / 1_000_000).build());
      }
      Steps steps = new Steps(sink);
      steps.run("cluster/peer:" + host, "cluster", "detach " + host + " from the trusted pool",
          () -> clients.gluster(a.address(), deadline).detachPeer(DetachPeerRequest.newBuilder().setHostname(host).build()));
      ApplySummary.Builder s = steps.summary().setElapsedMillis((System.nanoTime() - t0) / 1_000_000);
      return new Day2Outcome.Done(journal.write(s, started, source, spec, Journal.KIND_NODE_RETIRE, host, steps.events));
    } finally {
      lock.unlock();
    }
  }
}
