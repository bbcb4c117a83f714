package io.brickyard.agent.gluster;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.BrickHeal;
import io.brickyard.api.agent.v1.GetHealRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.HealStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ReplaceBrickRequest;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replacing a brick (a failed disk, a rebuilt node; docs/day2.md): {@code volume replace-brick VOL
 * OLD NEW commit force}, then {@code volume heal VOL} so the self-heal daemon starts copying onto
 * the new brick at once. Only where the files have another copy: the old brick's replica set
 * (disperse set: enough fragments) must have another brick online, else the replacement would be
 * an empty brick in place of the only copy. Done already (OLD gone, NEW in the volume): unchanged.
 */
final class BrickReplacement {
  private final CommandRunner runner;
  private final GlusterCli cli;

  BrickReplacement(CommandRunner runner, GlusterCli cli) {
    this.runner = runner;
    this.cli = cli;
  }

  OperationResult replace(ReplaceBrickRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    String old = GlusterNames.brick("old_brick", req.getOldBrick());
    String neu = GlusterNames.brick("new_brick", req.getNewBrick());
    if (old.equals(neu)) {
      throw new IllegalArgumentException("new_brick: the same brick as old_brick");
    }
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume v = GlusterServiceImpl.findVolume(op, vol)
        .orElseThrow(() -> new RefusedException("volume " + vol + " does not exist"));
    List<String> bricks = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    if (!bricks.contains(old) && bricks.contains(neu)) {
      return op.unchanged(old + " was already replaced by " + neu + " in " + vol);
    }
    if (!bricks.contains(old)) {
      throw new RefusedException(old + " is not a brick of " + vol + " (its bricks: " + bricks + ")");
    }
    if (bricks.contains(neu)) {
      throw new RefusedException(neu + " is already a brick of " + vol);
    }
    List<String> others = otherCopies(v, old);
    Map<String, VolumeXml.Status> st = VolumeXml.parseStatus(GlusterCli.readXml(op, "volume", "status", vol));
    VolumeXml.Status s = st.get(vol);
    List<String> online = others.stream().filter(b -> s != null && s.bricks().containsKey(b)
        && s.bricks().get(b).getOnline()).toList();
    int needed = v.getDisperseCount() > 0 ? v.getDisperseCount() - v.getRedundancyCount() : 1;
    if (online.size() < needed) {
      throw new RefusedException("the set of " + old + " in " + vol + " has " + online.size() + " other brick(s) online ("
          + others + " offline: " + others.stream().filter(b -> !online.contains(b)).toList() + "), " + needed
          + " needed: its files have no healthy copy to heal " + neu + " from");
    }
    cli.changeWithRetry(op, List.of("volume", "replace-brick", vol, old, neu, "commit", "force"));
    try {
      cli.changeWithRetry(op, List.of("volume", "heal", vol));
    } catch (CommandFailedException e) {
      // the self-heal daemon's own crawl (every 10 min) still heals; the wait shows it
      op.warn("volume heal " + vol + " was not accepted (" + e.result().stdout().strip() + "); the self-heal daemon"
          + " heals on its next crawl");
    }
    return op.done("replaced " + old + " by " + neu + " in " + vol + "; the heal copies its files from " + online);
  }

  /** The other bricks of {@code brick}'s replica or disperse set; refused on a pure distribute volume. */
  static List<String> otherCopies(GlusterVolume v, String brick) {
    int set = v.getDisperseCount() > 0 ? v.getDisperseCount() : v.getReplicaCount();
    if (set <= 1) {
      throw new RefusedException("volume " + v.getName() + " is " + v.getType() + ": " + brick + " holds the only copy"
          + " of its files; replacing it would lose them (remove-brick migrates them first)");
    }
    List<String> names = v.getBricksList().stream().map(GlusterBrick::getName).toList();
    int i = names.indexOf(brick);
    int start = i / set * set;
    List<String> out = new ArrayList<>(names.subList(start, start + set));
    out.remove(brick);
    return out;
  }

  HealStatus heal(GetHealRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, true);
    CommandResult r = cli.readWithRetry(op, "volume", "heal", vol, "info", "summary");
    HealStatus.Builder b = HealStatus.newBuilder().setVolume(vol);
    VolumeXml.parseHealSummary(r.stdout()).entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.addBricks(BrickHeal.newBuilder().setBrick(e.getKey()).setConnected(e.getValue().pending() >= 0)
            .setPending(e.getValue().pending()).setSplitBrain(e.getValue().splitBrain())));
    return b.build();
  }

  io.brickyard.api.agent.v1.HealInfo info(io.brickyard.api.agent.v1.GetHealInfoRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, true);
    CommandResult r = req.getSplitBrain() ? cli.readWithRetry(op, "volume", "heal", vol, "info", "split-brain")
        : cli.readWithRetry(op, "volume", "heal", vol, "info");
    return HealInfoXml.parse(vol, req.getSplitBrain(), r.stdout());
  }
}
