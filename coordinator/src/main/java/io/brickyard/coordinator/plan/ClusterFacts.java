package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterVolume;
import java.util.List;
import java.util.Optional;

/**
 * The trusted pool and volumes as the anchor's glusterd reports them when the plan is made (read
 * every time: the nodes are the truth). {@code known} is false when they could not be read (glusterd
 * down on the anchor, no anchor): then nothing is assumed about them.
 *
 * @param anchor the node that answered
 */
public record ClusterFacts(boolean known, String anchor, List<GlusterPeer> peers, List<GlusterVolume> volumes) {
  public ClusterFacts {
    peers = List.copyOf(peers);
    volumes = List.copyOf(volumes);
  }

  public static ClusterFacts unknown() {
    return new ClusterFacts(false, "", List.of(), List.of());
  }

  public Optional<GlusterVolume> volume(String name) {
    return volumes.stream().filter(v -> v.getName().equals(name)).findFirst();
  }
}
