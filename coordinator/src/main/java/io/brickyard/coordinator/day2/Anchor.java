package io.brickyard.coordinator.day2;

import io.brickyard.api.agent.v1.GetPoolRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node a day-2 command asks its gluster questions of: the first node of the spec (other than
 * {@code exclude}, e.g. the node being retired) whose agent answers with a running glusterd, with
 * the pool and the volumes (with brick status) as it reports them. Failed or absent nodes are
 * skipped: the node a command is about may be the dead one.
 */
record Anchor(NodeAddress address, GlusterPool pool, List<GlusterVolume> volumes) {

  /** The anchor, or why there is none. */
  static Anchor find(ClusterSpec spec, AgentClients clients, Duration deadline, String exclude, List<String> why) {
    for (NodeSpec n : spec.nodes()) {
      if (n.name().equals(exclude) || n.glusterAddress().equalsIgnoreCase(exclude)) {
        continue;
      }
      NodeAddress a = DesiredSteps.address(n);
      try {
        GlusterPool p = clients.gluster(a, deadline).getPool(GetPoolRequest.getDefaultInstance());
        if (!p.getGlusterdReachable()) {
          why.add(n.name() + ": glusterd down");
          continue;
        }
        List<GlusterVolume> vols = clients.gluster(a, deadline).getVolumes(GetVolumesRequest.newBuilder()
            .setWithStatus(true).build()).getVolumesList();
        return new Anchor(a, p, vols);
      } catch (StatusRuntimeException e) {
        why.add(n.name() + ": " + NodeProbe.describe(e));
      }
    }
    return null;
  }

  static Anchor find(ClusterSpec spec, AgentClients clients, Duration deadline, String exclude) {
    return find(spec, clients, deadline, exclude, new ArrayList<>());
  }

  Optional<GlusterVolume> volume(String name) {
    return volumes.stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  /** A spec brick "node:/path" as gluster names it (the node's glusterAddress). */
  static String glusterName(ClusterSpec spec, String brick) {
    int c = brick.indexOf(':');
    String host = brick.substring(0, c);
    return spec.nodeForBrickHost(host).map(NodeSpec::glusterAddress).orElse(host) + brick.substring(c);
  }
}
