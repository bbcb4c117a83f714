package io.brickyard.agent.gluster;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.DetachPeerRequest;
import io.brickyard.api.agent.v1.GetRemoveBricksRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RebalanceStatus;
import io.brickyard.api.agent.v1.RemoveBricksRequest;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shrinking a volume and retiring a peer (docs/day2.md). {@code remove-brick start} only for whole
 * replica/disperse sets and never the last one; {@code commit} only once gluster says the migration
 * of their files completed with no failure on any node (a commit before that would drop the files
 * not yet moved). {@code peer detach} only for a host that holds no brick of any volume.
 */
final class BrickRemoval {
  private final CommandRunner runner;
  private final GlusterCli cli;

  BrickRemoval(CommandRunner runner, GlusterCli cli) {
    this.runner = runner;
    this.cli = cli;
  }

  private static List<String> validBricks(List<String> bricks) {
    if (bricks.isEmpty()) {
      throw new IllegalArgumentException("bricks: name the bricks to remove");
    }
    Set<String> seen = new HashSet<>();
    for (String b : bricks) {
      GlusterNames.brick("bricks", b);
      if (!seen.add(b)) {
        throw new IllegalArgumentException("bricks: '" + b + "' is listed twice");
      }
    }
    return List.copyOf(bricks);
  }

  /** Refuses unless {@code bricks} are whole sets of {@code v}, and not all of them. */
  static void wholeSets(GlusterVolume v, List<String> bricks) {
    List<String> names = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    int set = v.getDisperseCount() > 0 ? v.getDisperseCount() : Math.max(1, v.getReplicaCount());
    for (int s = 0; s < names.size(); s += set) {
      List<String> members = names.subList(s, Math.min(names.size(), s + set));
      long in = members.stream().filter(bricks::contains).count();
      if (in != 0 && in != members.size()) {
        throw new RefusedException("bricks: " + members + " form one set of " + v.getName() + "; remove all of it or"
            + " none (a part of a set lowers its copies: not done here)");
      }
    }
    if (bricks.size() >= names.size()) {
      throw new RefusedException("bricks: these are all of " + v.getName() + "'s bricks; delete the volume instead");
    }
  }

  OperationResult remove(RemoveBricksRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    List<String> bricks = validBricks(req.getBricksList());
    String action = req.getAction();
    if (!action.equals("start") && !action.equals("commit")) {
      throw new IllegalArgumentException("action: '" + action + "' is not start or commit");
    }
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume v = GlusterServiceImpl.findVolume(op, vol)
        .orElseThrow(() -> new RefusedException("volume " + vol + " does not exist"));
    List<String> names = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    long present = bricks.stream().filter(names::contains).count();
    if (present == 0) {
      return op.unchanged(bricks + " are no bricks of " + vol + " (already removed)");
    }
    if (present != bricks.size()) {
      throw new RefusedException("only some of " + bricks + " are bricks of " + vol + " (its bricks: " + names + ")");
    }
    wholeSets(v, bricks);
    RebalanceStatus st = status(op, vol, bricks);
    List<String> args = new ArrayList<>(List.of("volume", "remove-brick", vol));
    args.addAll(bricks);
    if (action.equals("start")) {
      if (!st.getStatus().equals(RebalanceXml.NOT_STARTED) && !st.getStatus().equals("stopped")
          && !st.getStatus().equals("failed")) {
        return op.unchanged("the migration off " + bricks + " is " + st.getStatus());
      }
      args.add("start");
      cli.changeWithRetry(op, args);
      return op.done("started migrating the files of " + bricks + " to the other sets of " + vol);
    }
    if (!st.getStatus().equals("completed") || st.getAggregate().getFailures() > 0) {
      throw new RefusedException("the migration off " + bricks + " is " + st.getStatus()
          + (st.getAggregate().getFailures() > 0 ? " with " + st.getAggregate().getFailures() + " failure(s)" : "")
          + ": commit only after it completed without failures (a commit now would drop the files not moved)");
    }
    args.add("commit");
    cli.changeWithRetry(op, args);
    return op.done("removed " + bricks + " from " + vol + " (" + st.getAggregate().getFilesMoved() + " files migrated;"
        + " their directories are kept)");
  }

  RebalanceStatus status(GetRemoveBricksRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    return status(new Operation(runner, true), vol, validBricks(req.getBricksList()));
  }

  private RebalanceStatus status(Operation op, String vol, List<String> bricks) {
    List<String> a = new ArrayList<>(List.of("volume", "remove-brick", vol));
    a.addAll(bricks);
    a.add("status");
    CommandResult r = cli.readWithRetry(op, a.toArray(String[]::new));
    return RebalanceXml.parse(vol, r.stdout());
  }

  OperationResult detach(DetachPeerRequest req) {
    String host = GlusterNames.host("hostname", req.getHostname());
    Operation op = new Operation(runner, req.getOptions());
    GlusterPool pool = GlusterCli.readXmlIfUp(op, "pool", "list").map(PoolXml::parse)
        .orElseThrow(() -> new RefusedException("glusterd is not running on this node"));
    GlusterPeer peer = pool.getPeersList().stream().filter(p -> p.getHostname().equalsIgnoreCase(host)
        || p.getHostnamesList().stream().anyMatch(host::equalsIgnoreCase)).findFirst().orElse(null);
    if (peer == null) {
      return op.unchanged(host + " is not in the trusted pool");
    }
    if (peer.getSelf()) {
      throw new RefusedException(host + " is the node asked to detach it; ask another node of the pool");
    }
    List<String> held = new ArrayList<>();
    for (GlusterVolume v : VolumeXml.parseInfo(GlusterCli.readXml(op, "volume", "info", "all"))) {
      v.getBricksList().stream().filter(b -> b.getHost().equalsIgnoreCase(host)
          || peer.getHostnamesList().stream().anyMatch(b.getHost()::equalsIgnoreCase))
          .forEach(b -> held.add(v.getName() + ": " + b.getName()));
    }
    if (!held.isEmpty()) {
      throw new RefusedException(host + " still holds bricks: " + held + " (move them first: brickyard brick replace"
          + " or brick remove)");
    }
    cli.changeWithRetry(op, List.of("peer", "detach", host));
    return op.done("detached " + host + " from the trusted pool");
  }

  OperationResult deleteVolume(io.brickyard.api.agent.v1.DeleteVolumeRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume v = GlusterServiceImpl.findVolume(op, vol).orElse(null);
    if (v == null) {
      return op.unchanged("volume " + vol + " does not exist (already deleted)");
    }
    if (v.getStatus().equals("Started")) {
      cli.changeWithRetry(op, List.of("volume", "stop", vol));
    }
    cli.changeWithRetry(op, List.of("volume", "delete", vol));
    return op.done("deleted volume " + vol + " (id " + v.getId() + "); its brick directories are kept: "
        + v.getBricksList().stream().map(GlusterBrick::getName).toList());
  }
}
