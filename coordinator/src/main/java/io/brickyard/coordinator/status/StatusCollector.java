package io.brickyard.coordinator.status;

import io.brickyard.api.agent.v1.GetLvmReportRequest;
import io.brickyard.api.agent.v1.GetPoolRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.LogicalVolume;
import io.brickyard.api.agent.v1.LvmReport;
import io.brickyard.api.agent.v1.SelfHealDaemon;
import io.brickyard.api.agent.v1.GetRebalanceRequest;
import io.brickyard.api.agent.v1.RebalanceStatus;
import io.brickyard.api.coordinator.v1.BrickView;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.PeerView;
import io.brickyard.api.coordinator.v1.ThinPoolView;
import io.brickyard.api.coordinator.v1.VolumeView;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.coordinator.v1.NfsNodeView;
import io.brickyard.api.coordinator.v1.NfsView;
import io.brickyard.api.coordinator.v1.VipView;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.brickyard.coordinator.plan.Plan;
import io.brickyard.coordinator.plan.PlannedStep;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * What the cluster looks like now, read from the agents: node reachability and services, the
 * gluster pool and volumes (bricks online with port and pid, self-heal daemons, pending heals)
 * as one reachable node sees them, thin pools with fill warnings, and drift from a spec.
 */
public final class StatusCollector {
  static final double FILL_WARNING = 80.0;
  private final AgentClients clients;
  private final ExecutorService pool;
  private final Duration deadline;

  public StatusCollector(AgentClients clients, ExecutorService pool, Duration deadline) {
    this.clients = clients;
    this.pool = pool;
    this.deadline = deadline;
  }

  public ClusterStatus collect(List<NodeAddress> nodes, Plan drift) {
    NodeProbe probe = new NodeProbe(clients, pool, deadline);
    List<NodeView> views = probe.probeFacts(nodes);
    ClusterStatus.Builder st = ClusterStatus.newBuilder().addAllNodes(views);
    List<CompletableFuture<LvmReport>> lvm = views.stream().map(v -> CompletableFuture.supplyAsync(() -> {
      if (!v.getReachable()) {
        return LvmReport.getDefaultInstance();
      }
      NodeAddress a = nodes.stream().filter(n -> n.name().equals(v.getName())).findFirst().orElseThrow();
      try {
        return clients.lvm(a, deadline).getLvmReport(GetLvmReportRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        return LvmReport.getDefaultInstance(); // no LVM on this node (the lab) or no lvm2
      }
    }, pool)).toList();
    // Ask the first node whose glusterd answers: with glusterd down on one node, a survivor still
    // reports every brick (those of the failed node as offline).
    for (NodeView v : views) {
      if (!v.getReachable()) {
        continue;
      }
      NodeAddress anchor = nodes.stream().filter(n -> n.name().equals(v.getName())).findFirst().orElseThrow();
      try {
        GlusterPool gp = clients.gluster(anchor, deadline).getPool(GetPoolRequest.getDefaultInstance());
        List<VolumeView> vols = clients.gluster(anchor, Duration.ofSeconds(Math.max(60, deadline.toSeconds())))
            .getVolumes(GetVolumesRequest.newBuilder().setWithStatus(true).build()).getVolumesList().stream()
            .map(gv -> volume(gv, rebalance(anchor, gv))).toList();
        for (GlusterPeer p : gp.getPeersList()) {
          st.addPeers(PeerView.newBuilder().setNode(anchor.name()).setHostname(p.getSelf() ? "localhost" : p.getHostname())
              .setUuid(p.getUuid()).setConnected(p.getConnected()).setState(p.getState()));
        }
        st.addAllVolumes(vols);
        break;
      } catch (StatusRuntimeException e) {
        st.addWarnings("gluster status from " + anchor.name() + ": " + NodeProbe.describe(e));
      }
    }
    for (int i = 0; i < views.size(); i++) {
      LvmReport r = lvm.get(i).join();
      for (LogicalVolume lv : r.getLogicalVolumesList()) {
        if (!lv.getThinPool()) {
          continue;
        }
        st.addThinPools(ThinPoolView.newBuilder().setNode(views.get(i).getName()).setPool(lv.getVg() + "/" + lv.getName())
            .setDataPercent(lv.getDataPercent()).setMetadataPercent(lv.getMetadataPercent()).setSizeBytes(lv.getSizeBytes())
            .setVirtualAllocatedBytes(lv.getVirtualAllocatedBytes()));
        if (lv.getDataPercent() > FILL_WARNING || lv.getMetadataPercent() > FILL_WARNING) {
          st.addWarnings(String.format("%s: thin pool %s/%s is %.1f%% data, %.1f%% metadata full (over %.0f%%)",
              views.get(i).getName(), lv.getVg(), lv.getName(), lv.getDataPercent(), lv.getMetadataPercent(), FILL_WARNING));
        }
      }
      r.getWarningsList().forEach(w -> st.addWarnings(w));
    }
    for (NodeView v : views) {
      if (!v.getReachable()) {
        st.addWarnings(v.getName() + ": " + v.getError());
      }
    }
    if (drift != null) {
      // What differs now (CHANGE) or cannot be fixed (REFUSED); PENDING steps are only re-checked after those.
      long pending = 0;
      for (PlannedStep s : drift.steps()) {
        if (s.state() == PlannedStep.State.CHANGE || s.state() == PlannedStep.State.REFUSED) {
          st.addDrift(s.step().node() + ": " + s.step().description() + " (" + s.state().name().toLowerCase() + ": " + s.reason() + ")");
        } else if (s.state() == PlannedStep.State.PENDING) {
          pending++;
        }
      }
      if (pending > 0) {
        st.addDrift("(" + pending + " more step(s) will be re-checked after these)");
      }
      st.addAllUnmanaged(drift.unmanaged());
      drift.spec().nfs().ifPresent(nfs -> st.setNfs(nfsView(nfs, drift.nfs())));
    }
    return st.build();
  }

  /** Each NFS node's ganesha as read while planning, and each VIP with its home and holders now. */
  static NfsView nfsView(NfsSpec nfs, NfsFacts facts) {
    NfsView.Builder v = NfsView.newBuilder();
    for (String node : nfs.nodes()) {
      NfsNodeView.Builder n = NfsNodeView.newBuilder().setNode(node);
      facts.node(node).ifPresentOrElse(f -> {
        n.setReachable(f.reachable());
        if (!f.reachable()) {
          n.setDetail(f.error());
          return;
        }
        GaneshaHealth g = f.facts().getGanesha();
        n.setGaneshaUp(g.getUp()).setInGrace(g.getInGrace()).setDetail(g.getDetail()).addAllExports(g.getExportsList())
            .setRestartRequired(f.status().getRestartRequired());
      }, () -> n.setDetail("unreachable"));
      v.addNodes(n);
    }
    for (VipSpec vip : nfs.vips()) {
      v.addVips(VipView.newBuilder().setAddress(vip.address().toString()).setHome(vip.home())
          .addAllHolders(facts.holders(vip.ip())));
    }
    return v.build();
  }

  /**
   * The volume's rebalance in one line: a running one with each node's files scanned and moved
   * (one more read, only while it runs), else its last state, or that one is owed (bricks were
   * added and no apply has run it yet; docs/day2.md). "" when there is nothing to say.
   */
  private String rebalance(NodeAddress anchor, GlusterVolume gv) {
    String marker = gv.getOptionsMap().getOrDefault(io.brickyard.coordinator.plan.DesiredSteps.REBALANCE_MARKER, "");
    if (gv.getRebalance().equals("in progress")) {
      try {
        RebalanceStatus r = clients.gluster(anchor, deadline).getRebalance(GetRebalanceRequest.newBuilder()
            .setVolume(gv.getName()).build());
        return "in progress: " + r.getNodesList().stream().map(n -> n.getNode() + " " + n.getFilesScanned()
            + " scanned, " + n.getFilesMoved() + " moved, " + n.getFailures() + " failures")
            .collect(java.util.stream.Collectors.joining("; "));
      } catch (StatusRuntimeException e) {
        return "in progress";
      }
    }
    if (marker.equals("pending") || marker.equals("started") && !gv.getRebalance().equals("completed")) {
      return "owed: bricks were added" + (gv.getRebalance().isEmpty() ? "" : ", last run " + gv.getRebalance())
          + " (apply runs it)";
    }
    return gv.getRebalance();
  }

  static VolumeView volume(GlusterVolume gv) {
    return volume(gv, gv.getRebalance());
  }

  static VolumeView volume(GlusterVolume gv, String rebalance) {
    VolumeView.Builder v = VolumeView.newBuilder().setName(gv.getName()).setType(gv.getType()).setStatus(gv.getStatus())
        .setRebalance(rebalance);
    int set = Math.max(1, gv.getReplicaCount() > 1 ? gv.getReplicaCount() : gv.getDisperseCount() > 0 ? gv.getDisperseCount() : 1);
    v.setLayout((gv.getBrickCount() / set) + " x " + set + " = " + gv.getBrickCount());
    for (GlusterBrick b : gv.getBricksList()) {
      v.addBricks(BrickView.newBuilder().setName(b.getName()).setOnline(b.getOnline()).setPort(b.getPort()).setPid(b.getPid())
          .setHealPendingEntries(b.getHealPendingEntries()).setHealSplitBrainEntries(b.getHealSplitBrainEntries()));
    }
    for (SelfHealDaemon d : gv.getSelfHealDaemonsList()) {
      v.addSelfHeal(d.getHost() + ": " + (d.getOnline() ? "online (pid " + d.getPid() + ")" : "OFFLINE"));
    }
    return v.build();
  }
}
