package io.brickyard.agent.gluster;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.AddBricksRequest;
import io.brickyard.api.agent.v1.GetRebalanceRequest;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RebalanceNode;
import io.brickyard.api.agent.v1.RebalanceRequest;
import io.brickyard.api.agent.v1.RebalanceStatus;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Growing an existing volume (docs/day2.md): {@code add-brick} of whole sets, or of one new brick
 * per set with a higher replica count, and the rebalance new sets need. The need for a rebalance
 * is written on the volume itself (option {@value #MARKER}) before the bricks are added, so an
 * apply that stops between the add-brick and the end of the rebalance leaves the cluster saying
 * what is left to do, and the next apply converges from there: the nodes are the truth, not the
 * coordinator's memory.
 */
final class VolumeGrowth {
  static final String MARKER = "user.brickyard.rebalance";
  static final String PENDING = "pending";
  static final String STARTED = "started";
  static final String DONE = "done";

  private final CommandRunner runner;
  private final GlusterCli cli;

  VolumeGrowth(CommandRunner runner, GlusterCli cli) {
    this.runner = runner;
    this.cli = cli;
  }

  private static GlusterVolume existing(Operation op, String vol) {
    return GlusterServiceImpl.findVolume(op, vol).orElseThrow(() -> new RefusedException("volume " + vol
        + " does not exist"));
  }

  OperationResult addBricks(AddBricksRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume have = existing(op, vol);
    BrickAddition add = BrickAddition.of(req, have);
    if (add.newBricks().isEmpty()) {
      return op.unchanged("volume " + vol + " already has these " + req.getBricksCount() + " bricks");
    }
    if (add.newSets()) {
      // Written first: if the add-brick then succeeds and the apply stops, the rebalance is still owed.
      cli.changeWithRetry(op, List.of("volume", "set", vol, MARKER, PENDING));
    }
    cli.changeWithRetry(op, add.args());
    return op.done("added " + add.newBricks().size() + " brick(s) to " + vol + " " + add.newBricks()
        + (add.newSets() ? "; its files need a rebalance onto the new set(s)" : "; self-heal copies the files onto them"));
  }

  RebalanceStatus status(GetRebalanceRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, true);
    GlusterVolume v = existing(op, vol);
    return status(op, v);
  }

  private RebalanceStatus status(Operation op, GlusterVolume v) {
    CommandResult r = cli.readWithRetry(op, "volume", "rebalance", v.getName(), "status");
    RebalanceStatus s = RebalanceXml.parse(v.getName(), r.stdout());
    return s.toBuilder().setMarker(v.getOptionsMap().getOrDefault(MARKER, "")).build();
  }

  /**
   * pending: start it (and mark it started); started: running -> nothing to do yet, completed
   * without failures -> mark it done, otherwise (failed, stopped, completed with failures, or
   * forgotten by a restarted glusterd) start it again: gluster's rebalance skips what already moved.
   */
  OperationResult rebalance(RebalanceRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume v = existing(op, vol);
    String marker = v.getOptionsMap().getOrDefault(MARKER, "");
    if (marker.isEmpty() || marker.equals(DONE)) {
      return op.unchanged("no rebalance owed on " + vol + (marker.isEmpty() ? "" : " (the last one completed)"));
    }
    if (!v.getStatus().equals("Started")) {
      throw new RefusedException("volume " + vol + " is " + v.getStatus() + ": its rebalance needs it started");
    }
    RebalanceStatus s = status(op, v);
    if (s.getStatus().equals("in progress")) {
      return op.unchanged("rebalance of " + vol + " is running: " + describe(s));
    }
    if (marker.equals(STARTED) && s.getStatus().equals("completed") && s.getAggregate().getFailures() == 0) {
      cli.changeWithRetry(op, List.of("volume", "set", vol, MARKER, DONE));
      return op.done("rebalance of " + vol + " completed: " + describe(s));
    }
    if (marker.equals(STARTED)) {
      op.warn("the last rebalance of " + vol + " ended " + s.getStatus()
          + (s.getAggregate().getFailures() > 0 ? " with " + s.getAggregate().getFailures() + " failure(s)" : "")
          + "; starting it again (see /var/log/glusterfs/" + vol + "-rebalance.log on each node)");
    }
    cli.changeWithRetry(op, List.of("volume", "set", vol, MARKER, STARTED));
    cli.changeWithRetry(op, List.of("volume", "rebalance", vol, "start"));
    return op.done("started the rebalance of " + vol);
  }

  /** "gluster1: 120 scanned, 40 moved (1.2 MiB), 0 failures, in progress; ..." */
  static String describe(RebalanceStatus s) {
    if (s.getNodesCount() == 0) {
      return s.getStatus();
    }
    return s.getNodesList().stream().map(VolumeGrowth::describe).collect(Collectors.joining("; "));
  }

  static String describe(RebalanceNode n) {
    return String.format("%s: %d scanned, %d moved (%s), %d failures, %s", n.getNode(), n.getFilesScanned(),
        n.getFilesMoved(), bytes(n.getBytesMoved()), n.getFailures(), n.getStatus());
  }

  private static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] u = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int i = -1;
    while (v >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format("%.1f %s", v, u[i]);
  }
}
