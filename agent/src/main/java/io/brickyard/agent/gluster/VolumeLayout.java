package io.brickyard.agent.gluster;

import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A validated volume layout from an EnsureVolumeRequest: the {@code volume create} argv it needs,
 * and the comparison with an existing volume's {@code volume info}. An existing volume "matches"
 * when its counts and its brick list (in order: order defines the replica sets) are the same; we
 * never reshape an existing volume, we refuse and say what differs.
 */
record VolumeLayout(String name, String type, int replica, int arbiter, int disperse, int redundancy,
    List<String> bricks, boolean force) {

  static VolumeLayout of(EnsureVolumeRequest r) {
    String name = GlusterNames.volume("name", r.getName());
    if (!r.getTransport().isEmpty() && !r.getTransport().equals("tcp")) {
      throw new IllegalArgumentException("transport: only 'tcp' is supported (rdma was removed from gluster)");
    }
    if (r.getBricksCount() == 0) {
      throw new IllegalArgumentException("bricks: at least one brick is required");
    }
    Set<String> seen = new HashSet<>();
    for (String b : r.getBricksList()) {
      GlusterNames.brick("bricks", b);
      if (!seen.add(b)) {
        throw new IllegalArgumentException("bricks: '" + b + "' is listed twice");
      }
    }
    int n = r.getBricksCount();
    int replica = r.getReplica();
    int arbiter = r.getArbiter();
    int disperse = r.getDisperse();
    int redundancy = r.getRedundancy();
    String type = r.getType();
    switch (type) {
      case "distribute" -> {
        requireZero(type, replica, arbiter, disperse, redundancy);
      }
      case "replicate", "distributed-replicate", "arbiter" -> {
        if (disperse != 0 || redundancy != 0) {
          throw new IllegalArgumentException("disperse/redundancy: not valid for type " + type);
        }
        if (type.equals("arbiter") && (replica != 3 || arbiter != 1)) {
          throw new IllegalArgumentException("replica/arbiter: type arbiter needs replica 3 and arbiter 1");
        }
        if (replica < 2) {
          throw new IllegalArgumentException("replica: type " + type + " needs replica >= 2");
        }
        if (arbiter != 0 && !(arbiter == 1 && replica == 3)) {
          throw new IllegalArgumentException("arbiter: gluster supports only arbiter 1 with replica 3");
        }
        if (type.equals("replicate") && arbiter != 0) {
          throw new IllegalArgumentException("arbiter: use type 'arbiter' for an arbiter volume");
        }
        checkSets("replica", n, replica, type.startsWith("distributed-"), type);
      }
      case "disperse", "distributed-disperse" -> {
        if (replica != 0 || arbiter != 0) {
          throw new IllegalArgumentException("replica/arbiter: not valid for type " + type);
        }
        if (disperse < 3 || redundancy < 1 || 2 * redundancy >= disperse) {
          throw new IllegalArgumentException("disperse/redundancy: need disperse >= 3 and 1 <= redundancy < disperse/2");
        }
        checkSets("disperse", n, disperse, type.startsWith("distributed-"), type);
      }
      default -> throw new IllegalArgumentException("type: '" + type + "' is not one of distribute, replicate, arbiter,"
          + " distributed-replicate, disperse, distributed-disperse");
    }
    return new VolumeLayout(name, type, replica, arbiter, disperse, redundancy, List.copyOf(r.getBricksList()),
        r.getForce());
  }

  private static void requireZero(String type, int... counts) {
    for (int c : counts) {
      if (c != 0) {
        throw new IllegalArgumentException("replica/arbiter/disperse/redundancy: must be 0 for type " + type);
      }
    }
  }

  private static void checkSets(String field, int bricks, int setSize, boolean distributed, String type) {
    if (bricks % setSize != 0) {
      throw new IllegalArgumentException("bricks: " + bricks + " bricks is not a multiple of " + field + " " + setSize);
    }
    if (distributed ? bricks < 2 * setSize : bricks != setSize) {
      throw new IllegalArgumentException("bricks: type " + type + " with " + field + " " + setSize + " needs "
          + (distributed ? "at least " + 2 * setSize : "exactly " + setSize) + " bricks, got " + bricks);
    }
  }

  /** {@code volume create NAME [replica N [arbiter 1]] [disperse N redundancy R] transport tcp BRICKS [force]}. */
  List<String> createArgs() {
    List<String> a = new ArrayList<>(List.of("volume", "create", name));
    if (replica > 0) {
      a.addAll(List.of("replica", Integer.toString(replica)));
      if (arbiter > 0) {
        a.addAll(List.of("arbiter", Integer.toString(arbiter)));
      }
    }
    if (disperse > 0) {
      a.addAll(List.of("disperse", Integer.toString(disperse), "redundancy", Integer.toString(redundancy)));
    }
    a.addAll(List.of("transport", "tcp"));
    a.addAll(bricks);
    if (force) {
      a.add("force");
    }
    return a;
  }

  /** What differs between this layout and an existing volume; empty = same volume. */
  List<String> differences(GlusterVolume v) {
    List<String> d = new ArrayList<>();
    // volume info reports replicaCount 1 for non-replicated volumes
    int wantReplica = replica == 0 ? 1 : replica;
    if (v.getReplicaCount() != wantReplica) {
      d.add("replica count is " + v.getReplicaCount() + ", wanted " + wantReplica);
    }
    if (v.getArbiterCount() != arbiter) {
      d.add("arbiter count is " + v.getArbiterCount() + ", wanted " + arbiter);
    }
    if (v.getDisperseCount() != disperse) {
      d.add("disperse count is " + v.getDisperseCount() + ", wanted " + disperse);
    }
    if (v.getRedundancyCount() != redundancy) {
      d.add("redundancy count is " + v.getRedundancyCount() + ", wanted " + redundancy);
    }
    if (!v.getTransport().equals("tcp")) {
      d.add("transport is " + v.getTransport() + ", wanted tcp");
    }
    List<String> have = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    if (!have.equals(bricks)) {
      d.add("bricks are " + have + ", wanted " + bricks);
    }
    return d;
  }

  /** Admin-visible risks of an otherwise valid layout. */
  List<String> warnings() {
    List<String> w = new ArrayList<>();
    if (replica == 2 && arbiter == 0) {
      w.add("replica 2 without an arbiter is prone to split-brain; prefer replica 3 or replica 3 arbiter 1");
    }
    if (force) {
      w.add("force: gluster's own safety checks (brick on the root filesystem, several bricks of one set on one host)"
          + " are overridden");
    }
    return w;
  }
}
