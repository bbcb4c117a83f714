package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.Issue;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.VolumeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What the spec asks of a volume that already exists, judged at plan time from its {@code volume
 * info} (docs/day2.md): the same layout; a growth gluster can make ({@code add-brick} of whole
 * sets appended at the end, or a higher replica count with one new brick at the end of each set);
 * bricks the spec dropped (drift: apply never removes a brick, {@code brickyard brick remove}
 * does); or a shape gluster cannot reach from here, an error on the spec's field, found before
 * anything runs (a type change, a lower replica count, a partial set, a reordered list, bricks
 * added and dropped at once).
 *
 * @param wanted the volume's bricks as gluster names them ("host:/path"), in the spec's order
 * @param added the spec's bricks the volume does not have
 * @param dropped the volume's bricks the spec does not list
 * @param newSets whether the added bricks are new sets (the files then need a rebalance)
 */
public record VolumeChange(String volume, List<String> wanted, List<String> added, List<String> dropped,
    boolean newSets, List<Issue> errors) {

  public boolean grows() {
    return errors.isEmpty() && !added.isEmpty();
  }

  /** Judges spec volume {@code v} (at {@code path}, "volumes[0]") against the live volume {@code have}. */
  public static VolumeChange of(ClusterSpec spec, VolumeSpec v, String path, GlusterVolume have) {
    List<String> wanted = v.bricks().stream().map(b -> spec.nodeForBrickHost(b.host()).map(NodeSpec::glusterAddress)
        .orElse(b.host()) + ":" + b.path()).toList();
    List<String> current = have.getBricksList().stream().map(GlusterBrick::getName).toList();
    List<String> added = wanted.stream().filter(b -> !current.contains(b)).toList();
    List<String> dropped = current.stream().filter(b -> !wanted.contains(b)).toList();
    List<Issue> errors = new ArrayList<>();
    String name = v.name();
    int haveReplica = Math.max(1, have.getReplicaCount());
    int wantReplica = Math.max(1, v.replica());
    boolean haveDispersed = have.getDisperseCount() > 0;
    // the family of layouts: gluster converts none into another, except distribute -> replicated
    if (haveDispersed != v.type().dispersed() || haveReplica > 1 && !v.type().replicated()) {
      errors.add(Issue.error(path + ".type", "volume " + name + " exists as " + have.getType() + " ("
          + layout(have) + "); gluster cannot turn it into " + v.type().yamlName()
          + " (a new volume and a copy of the data can)"));
      return new VolumeChange(name, wanted, added, dropped, false, errors);
    }
    if (haveDispersed && (have.getDisperseCount() != v.disperse() || have.getRedundancyCount() != v.redundancy())) {
      errors.add(Issue.error(path + ".disperse", "volume " + name + " has disperse " + have.getDisperseCount()
          + " redundancy " + have.getRedundancyCount() + "; gluster cannot change a disperse set's size"));
    }
    if (wantReplica < haveReplica && dropped.isEmpty()) {
      errors.add(Issue.error(path + ".replica", "volume " + name + " has replica " + haveReplica
          + "; lowering it removes bricks: brickyard brick remove, then the spec"));
    }
    if (have.getArbiterCount() > 0 && v.arbiter() == 0) {
      errors.add(Issue.error(path + ".arbiter", "volume " + name + " has arbiter bricks; gluster cannot drop them"
          + " (brickyard brick remove of the arbiters, then the spec)"));
    }
    if (!added.isEmpty() && !dropped.isEmpty()) {
      errors.add(Issue.error(path + ".bricks", "adds " + added + " and drops " + dropped + " of volume " + name
          + " at once: apply only adds bricks; remove " + dropped + " first (brickyard brick remove), or keep them"
          + " in the spec"));
    }
    if (!errors.isEmpty()) {
      return new VolumeChange(name, wanted, added, dropped, false, errors);
    }
    if (!dropped.isEmpty()) {
      // drift, reported and left alone; the rest of the list must be the volume's, in its order
      List<String> kept = current.stream().filter(wanted::contains).toList();
      if (!kept.equals(wanted)) {
        errors.add(Issue.error(path + ".bricks", "lists the bricks of volume " + name + " in another order than"
            + " gluster's " + current + ": the order defines the replica sets"));
      }
      return new VolumeChange(name, wanted, List.of(), dropped, false, errors);
    }
    if (added.isEmpty()) {
      if (!wanted.equals(current)) {
        errors.add(Issue.error(path + ".bricks", "lists the bricks of volume " + name + " in another order than"
            + " gluster's " + current + ": the order defines the replica sets, and gluster cannot reorder them"));
      } else if (wantReplica != haveReplica) {
        errors.add(Issue.error(path + ".replica", "replica " + wantReplica + " for volume " + name + " (replica "
            + haveReplica + ") needs one more brick at the end of each set"));
      }
      return new VolumeChange(name, wanted, added, dropped, false, errors);
    }
    boolean newSets;
    List<String> expected = new ArrayList<>();
    if (wantReplica == haveReplica) {
      int setSize = haveDispersed ? have.getDisperseCount() : haveReplica;
      if (added.size() % setSize != 0) {
        errors.add(Issue.error(path + ".bricks", added.size() + " new brick(s) for volume " + name + " are not whole"
            + " sets of " + setSize + " (gluster adds whole replica/disperse sets)"));
      }
      expected.addAll(current);
      expected.addAll(added);
      newSets = true;
    } else {
      int sets = current.size() / haveReplica;
      int per = wantReplica - haveReplica;
      if (added.size() != sets * per) {
        errors.add(Issue.error(path + ".bricks", "replica " + haveReplica + " -> " + wantReplica + " of volume " + name
            + " needs " + per + " new brick(s) at the end of each of its " + sets + " set(s), " + sets * per
            + " in all; the spec adds " + added.size()));
      }
      for (int s = 0; s < sets && (s + 1) * per <= added.size(); s++) {
        expected.addAll(current.subList(s * haveReplica, (s + 1) * haveReplica));
        expected.addAll(added.subList(s * per, (s + 1) * per));
      }
      newSets = false;
    }
    if (errors.isEmpty() && !wanted.equals(expected)) {
      errors.add(Issue.error(path + ".bricks", "gluster would order the bricks of volume " + name + " as " + expected
          + (newSets ? " (new sets follow the existing ones)" : " (each set's new brick at its end)")
          + "; list them so"));
    }
    return new VolumeChange(name, wanted, added, List.of(), newSets, errors);
  }

  /** "2 x 2 = 4", as gluster's own volume info says it. */
  static String layout(GlusterVolume v) {
    int set = v.getDisperseCount() > 0 ? v.getDisperseCount() : Math.max(1, v.getReplicaCount());
    return Math.max(1, v.getBrickCount() / set) + " x " + set + " = " + v.getBrickCount();
  }
}
