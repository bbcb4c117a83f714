package io.brickyard.cli.status;

import io.brickyard.api.coordinator.v1.BrickView;
import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.api.coordinator.v1.PeerView;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.api.coordinator.v1.ThinPoolView;
import io.brickyard.api.coordinator.v1.VolumeView;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFileOption;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard status [-f spec.yaml] [-o json|yaml]}: the cluster as the nodes report it, and drift.
 * Its exit code is a health check for scripts and monitoring: 1 for anything that loses service or
 * redundancy now (an unreachable node, an offline brick, ganesha down on an NFS node, a virtual IP
 * nobody holds or two nodes hold) or that apply would change (drift).
 */
@Command(name = "status", description = "Nodes, peers, volumes (bricks, self-heal, pending heals), thin pools; "
    + "with -f, drift from that spec and the NFS service (ganesha per NFS node, who holds each virtual IP). "
    + "Exit 1 when a node is unreachable, a brick offline, the cluster drifted, ganesha is down on an NFS node "
    + "or a virtual IP is held by no node or by two.")
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  /** Optional here: with it, status also reports drift from the spec. */
  @ArgGroup(exclusive = false, multiplicity = "0..1") SpecFileOption file;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    boolean structured = output.structured();
    StatusRequest.Builder rq = StatusRequest.newBuilder();
    if (file != null) {
      rq.setSpecYaml(file.loadValid(spec.commandLine().getErr()).yaml());
    }
    ManagedChannel ch = conn.open();
    ClusterStatus st;
    try {
      st = conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), 120), TimeUnit.SECONDS).status(rq.build());
    } finally {
      ConnectionOptions.close(ch);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (structured) {
      output.print(st, out);
    } else {
      print(st, out);
    }
    out.flush();
    boolean healthy = st.getNodesList().stream().allMatch(NodeView::getReachable)
        && st.getVolumesList().stream().allMatch(v -> v.getBricksList().stream().allMatch(BrickView::getOnline))
        && st.getDriftCount() == 0 && st.getUnmanagedCount() == 0
        && (!st.hasNfs() || NfsStatusText.healthy(st.getNfs())) && HaStatusText.healthy(st.getHa());
    return healthy ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  static void print(ClusterStatus st, PrintWriter out) {
    out.println("NODES");
    for (NodeView n : st.getNodesList()) {
      StringBuilder svc = new StringBuilder();
      for (ServiceState s : n.getFacts().getServicesList()) {
        if (s.getInstalled()) {
          svc.append(s.getUnit()).append('=').append(s.getActive() ? "active" : "inactive").append(' ');
        }
      }
      out.printf("  %-10s %-21s %s%n", n.getName(), n.getAddress(), n.getReachable() ? "reachable  " + svc.toString().strip()
          : "UNREACHABLE " + n.getError());
    }
    out.println("PEERS (as " + (st.getPeersCount() > 0 ? st.getPeers(0).getNode() : "-") + " sees them)");
    for (PeerView p : st.getPeersList()) {
      out.printf("  %-12s %-9s %s%n", p.getHostname(), p.getConnected() ? "connected" : "DISCONNECTED", p.getState());
    }
    out.println("VOLUMES");
    for (VolumeView v : st.getVolumesList()) {
      out.printf("  %s  %s (%s)  %s%n", v.getName(), v.getType(), v.getLayout(), v.getStatus());
      // Self-heal exists only where bricks hold copies or fragments of each other (replicate, disperse).
      boolean heals = v.getType().contains("Replicate") || v.getType().contains("Disperse");
      for (BrickView b : v.getBricksList()) {
        String heal = !heals ? "" : " heal pending " + (b.getHealPendingEntries() < 0 ? "?" : Long.toString(b.getHealPendingEntries()));
        out.println(String.format("    %-45s %-7s port %-5d pid %-7d%s", b.getName(), b.getOnline() ? "online" : "OFFLINE",
            b.getPort(), b.getPid(), heal).stripTrailing());
      }
      v.getSelfHealList().forEach(s -> out.println("    self-heal " + s));
      if (!v.getRebalance().isEmpty()) {
        out.println("    rebalance " + v.getRebalance());
      }
    }
    if (st.getThinPoolsCount() > 0) {
      out.println("THIN POOLS");
      for (ThinPoolView t : st.getThinPoolsList()) {
        out.printf("  %-10s %-16s data %5.1f%%  meta %5.1f%%%n", t.getNode(), t.getPool(), t.getDataPercent(), t.getMetadataPercent());
      }
    }
    if (st.hasNfs()) {
      NfsStatusText.print(st.getNfs(), out);
    }
    HaStatusText.print(st.getHa(), out);
    st.getWarningsList().forEach(w -> out.println("warning: " + w));
    if (st.getDriftCount() > 0 || st.getUnmanagedCount() > 0) {
      out.println("DRIFT from the spec" + (st.getDriftCount() > 0 ? " (run 'brickyard apply' to converge)" : ""));
      st.getDriftList().forEach(d -> out.println("  " + d));
      st.getUnmanagedList().forEach(d -> out.println("  " + d.getDescription() + ": " + d.getAction()));
    }
  }
}
