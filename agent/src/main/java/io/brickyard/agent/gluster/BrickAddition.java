package io.brickyard.agent.gluster;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.AddBricksRequest;
import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code volume add-brick} an AddBricksRequest needs against the volume as it is, or why
 * gluster cannot get there. gluster appends the bricks of an add-brick at the end of the list
 * (new sets), except when the replica count goes up: then each existing set gets its new bricks
 * at its end ({@code add-brick replica 3} on a 2 x 2 turns b1 b2 b3 b4 into b1 b2 n1 b3 b4 n2). The
 * wanted list must be exactly what gluster will make of it, so that the next read says "same".
 *
 * @param newBricks the bricks to add, in the order add-brick takes them; empty: nothing to do
 * @param newSets whether the distribute count grows (the files then need a rebalance)
 */
record BrickAddition(String volume, List<String> newBricks, List<String> args, boolean newSets) {

  static BrickAddition of(AddBricksRequest r, GlusterVolume have) {
    String vol = GlusterNames.volume("volume", r.getVolume());
    List<String> want = r.getBricksList();
    Set<String> seen = new HashSet<>();
    for (String b : want) {
      GlusterNames.brick("bricks", b);
      if (!seen.add(b)) {
        throw new IllegalArgumentException("bricks: '" + b + "' is listed twice");
      }
    }
    List<String> current = have.getBricksList().stream().map(GlusterBrick::getName).toList();
    List<String> missing = current.stream().filter(b -> !seen.contains(b)).toList();
    if (!missing.isEmpty()) {
      throw new RefusedException("volume " + vol + " has brick(s) " + missing + " that the request does not list:"
          + " bricks are never removed by add-brick (brickyard brick remove)");
    }
    List<String> added = want.stream().filter(b -> !current.contains(b)).toList();
    boolean dispersed = have.getDisperseCount() > 0;
    int haveReplica = Math.max(1, have.getReplicaCount());
    int wantReplica = Math.max(1, r.getReplica());
    if (dispersed && wantReplica != 1) {
      throw new RefusedException("volume " + vol + " is dispersed: it has no replica count to change");
    }
    if (wantReplica < haveReplica) {
      throw new RefusedException("volume " + vol + " has replica " + haveReplica + ": lowering it to " + wantReplica
          + " removes bricks (brickyard brick remove), add-brick cannot");
    }
    if (r.getArbiter() != 0 && !(r.getArbiter() == 1 && wantReplica == 3)) {
      throw new IllegalArgumentException("arbiter: gluster supports only arbiter 1 with replica 3");
    }
    if (have.getArbiterCount() > 0 && r.getArbiter() == 0) {
      throw new RefusedException("volume " + vol + " has arbiter bricks: the request must keep arbiter 1");
    }
    if (added.isEmpty()) {
      if (!want.equals(current)) {
        throw new RefusedException("volume " + vol + " has these bricks in another order (" + current + "): the order"
            + " defines the replica sets, and gluster cannot reorder them");
      }
      if (wantReplica != haveReplica) {
        throw new RefusedException("replica " + wantReplica + " needs new bricks, none given");
      }
      return new BrickAddition(vol, List.of(), List.of(), false);
    }
    List<String> args = new ArrayList<>(List.of("volume", "add-brick", vol));
    boolean newSets;
    List<String> order;
    if (wantReplica == haveReplica) {
      int setSize = dispersed ? have.getDisperseCount() : haveReplica;
      if (added.size() % setSize != 0) {
        throw new RefusedException(added.size() + " new brick(s) for " + vol + " is not a whole number of sets of "
            + setSize);
      }
      List<String> expected = new ArrayList<>(current);
      expected.addAll(added);
      if (!want.equals(expected)) {
        throw new RefusedException("the new bricks of " + vol + " must follow its existing ones (gluster appends new"
            + " sets at the end): expected " + expected);
      }
      if (haveReplica > 1) {
        args.addAll(List.of("replica", Integer.toString(haveReplica)));
        if (have.getArbiterCount() > 0) {
          args.addAll(List.of("arbiter", "1"));
        }
      }
      order = added;
      newSets = true;
    } else {
      int sets = current.size() / haveReplica;
      int per = wantReplica - haveReplica;
      if (added.size() != sets * per) {
        throw new RefusedException("replica " + haveReplica + " -> " + wantReplica + " on " + vol + " needs " + per
            + " new brick(s) in each of its " + sets + " set(s), " + sets * per + " in all; got " + added.size());
      }
      List<String> expected = new ArrayList<>();
      List<String> o = new ArrayList<>();
      for (int s = 0; s < sets; s++) {
        expected.addAll(current.subList(s * haveReplica, (s + 1) * haveReplica));
        List<String> mine = added.subList(s * per, (s + 1) * per);
        expected.addAll(mine);
        o.addAll(mine);
      }
      if (!want.equals(expected)) {
        throw new RefusedException("raising the replica count of " + vol + " adds each set's new brick(s) at the end"
            + " of that set: expected " + expected);
      }
      args.addAll(List.of("replica", Integer.toString(wantReplica)));
      if (r.getArbiter() == 1) {
        args.addAll(List.of("arbiter", "1"));
      }
      order = o;
      newSets = false;
    }
    args.addAll(order);
    if (r.getForce()) {
      args.add("force");
    }
    return new BrickAddition(vol, List.copyOf(order), List.copyOf(args), newSets);
  }
}
