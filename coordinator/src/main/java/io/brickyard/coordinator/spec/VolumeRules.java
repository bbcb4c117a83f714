package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.SpecValidator.report;
import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.gluster.GlusterOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gluster volume rules: the layout rules glusterd applies at {@code volume create} (so they fail
 * here, before any node was touched) plus Brickyard's own: every brick must sit in a subdirectory
 * of a filesystem this spec prepares on that node, never on the root filesystem.
 */
final class VolumeRules {
  private final ClusterSpec spec;
  private final List<Issue> out;
  /** "node:path" of every brick seen so far -> its field path, across all volumes. */
  private final Map<String, String> bricks = new LinkedHashMap<>();

  VolumeRules(ClusterSpec spec, List<Issue> out) {
    this.spec = spec;
    this.out = out;
  }

  void check() {
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < spec.volumes().size(); i++) {
      VolumeSpec v = spec.volumes().get(i);
      String p = at("volumes", i);
      report(out, at(p, "name"), Names.glusterVolume(v.name()));
      Integer first = names.putIfAbsent(v.name(), i);
      if (first != null) {
        out.add(Issue.error(at(p, "name"), "duplicate volume name '" + v.name() + "' (also volumes[" + first + "])"));
      }
      counts(v, p);
      if (!v.transport().equals(VolumeSpec.DEFAULT_TRANSPORT)) {
        out.add(Issue.error(at(p, "transport"), "only transport tcp is supported, got '" + v.transport() + "'"));
      }
      v.options().forEach((k, val) -> {
        // gluster's own option table (the agent checks again): an unknown key, or a value the
        // gluster CLI would read as its own option, stops the spec before anything runs.
        String field = at(p, "options") + "[" + k + "]";
        GlusterOptions.bundled().keyProblem(k).ifPresent(problem -> out.add(Issue.error(field, problem)));
        GlusterOptions.valueProblem(val).ifPresent(problem -> out.add(Issue.error(field, problem)));
      });
      brickPlacement(v, p);
      v.snapshots().ifPresent(sp -> snapshots(v, sp, p));
    }
  }

  private static final java.util.regex.Pattern SCHEDULE_NAME = java.util.regex.Pattern.compile("[a-z0-9]{1,20}");
  /** glusterd's default snap-max-hard-limit per volume: more snapshots than this are refused. */
  static final int GLUSTER_SNAPSHOT_LIMIT = 256;

  /**
   * Snapshot schedules: names that keep each schedule's snapshot set apart (no '_': the set is
   * {@code VOLUME_SCHEDULE_TIMESTAMP}), retention within gluster's limit, a sane pool limit, and
   * every brick on a thin LV of this spec's LVM layout (gluster snapshots nothing else).
   */
  private void snapshots(VolumeSpec v, SnapshotPolicy sp, String p) {
    String sp0 = at(p, "snapshots");
    if (sp.poolLimitPercent() < 1 || sp.poolLimitPercent() > 99) {
      out.add(Issue.error(at(sp0, "poolLimitPercent"), "must be 1..99 (percent of the thin pool's data space), got "
          + sp.poolLimitPercent()));
    }
    if (sp.schedules().isEmpty()) {
      out.add(Issue.error(at(sp0, "schedules"), "at least one schedule ({name: hourly, every: 1h, keep: 24})"));
    }
    Map<String, Integer> names = new HashMap<>();
    int total = 0;
    for (int i = 0; i < sp.schedules().size(); i++) {
      SnapshotPolicy.Schedule s = sp.schedules().get(i);
      String at = at(at(sp0, "schedules"), i);
      if (!SCHEDULE_NAME.matcher(s.name()).matches()) {
        out.add(Issue.error(at(at, "name"), "'" + s.name() + "': 1 to 20 lower-case letters and digits (it becomes part of"
            + " each snapshot's name, " + v.name() + "_NAME_yyyyMMdd-HHmmss)"));
      }
      Integer first = names.putIfAbsent(s.name(), i);
      if (first != null) {
        out.add(Issue.error(at(at, "name"), "duplicate schedule name '" + s.name() + "' (also schedules[" + first + "])"));
      }
      if (s.keep() < 1 || s.keep() > GLUSTER_SNAPSHOT_LIMIT) {
        out.add(Issue.error(at(at, "keep"), "must be 1.." + GLUSTER_SNAPSHOT_LIMIT + ", got " + s.keep()));
      }
      total += Math.max(0, s.keep());
    }
    if (total > GLUSTER_SNAPSHOT_LIMIT) {
      out.add(Issue.error(at(sp0, "schedules"), "the schedules keep " + total + " snapshots together; gluster holds at most "
          + GLUSTER_SNAPSHOT_LIMIT + " per volume (snap-max-hard-limit)"));
    }
    for (int b = 0; b < v.bricks().size(); b++) {
      Brick brick = v.bricks().get(b);
      Optional<NodeSpec> node = spec.nodeForBrickHost(brick.host());
      if (node.isEmpty()) {
        continue; // reported by brickPlacement
      }
      StorageEntry holder = null;
      String mountPoint = null;
      for (StorageEntry e : spec.storageFor(node.get().name())) {
        for (StorageEntry.Mount m : e.mounts()) {
          if (Names.below(brick.path(), m.mountPoint()) && (mountPoint == null || m.mountPoint().length() > mountPoint.length())) {
            holder = e;
            mountPoint = m.mountPoint();
          }
        }
      }
      if (holder != null && !(holder instanceof LvmStorage)) {
        out.add(Issue.error(at(at(p, "bricks"), b), "volume " + v.name() + " has snapshot schedules, but brick " + brick
            + " is on " + mountPoint + ", a filesystem made directly on " + String.join(", ", holder.devices())
            + ", not on a thin LV: gluster snapshots need every brick on a thin LV (storage: volumeGroup + thinPool +"
            + " thinVolumes)"));
      }
    }
  }

  /** Counts vs type, and the brick count vs the set size (glusterd's cli_cmd_volume_create_parse). */
  private void counts(VolumeSpec v, String p) {
    VolumeType t = v.type();
    String bp = at(p, "bricks");
    if (!t.replicated()) {
      notFor(v.replica(), at(p, "replica"), t);
    }
    if (t != VolumeType.ARBITER) {
      if (v.arbiter() != 0) {
        out.add(Issue.error(at(p, "arbiter"), "arbiter applies only to type arbiter (replica 3 arbiter 1)"));
      }
    }
    if (!t.dispersed()) {
      notFor(v.disperse(), at(p, "disperse"), t);
      notFor(v.redundancy(), at(p, "redundancy"), t);
    }
    boolean countsOk = true;
    if (t.replicated()) {
      if (v.replica() == 0) {
        out.add(Issue.error(at(p, "replica"), "required for type " + t + " (2 or more copies)"));
        countsOk = false;
      } else if (v.replica() < 2) {
        out.add(Issue.error(at(p, "replica"), "replica must be at least 2, got " + v.replica()));
        countsOk = false;
      } else if (t == VolumeType.ARBITER && v.replica() != 3) {
        out.add(Issue.error(at(p, "replica"), "arbiter requires replica 3 (two data bricks and one arbiter"
            + " per set), got " + v.replica()));
        countsOk = false;
      } else if (v.replica() == 2) {
        out.add(Issue.warning(at(p, "replica"), "replica 2 volumes are prone to split-brain;"
            + " use type arbiter or replica 3 to avoid this"));
      }
      if (t == VolumeType.ARBITER && v.arbiter() != 1) {
        out.add(Issue.error(at(p, "arbiter"), "arbiter count must be 1, got " + v.arbiter()));
      }
    }
    if (t.dispersed()) {
      countsOk = disperse(v, p);
    }
    if (v.bricks().isEmpty()) {
      out.add(Issue.error(bp, "at least one brick is required"));
      return;
    }
    int n = v.bricks().size();
    int set = v.setSize();
    if (!countsOk || set <= 1) {
      return;
    }
    String of = t.dispersed() ? "disperse " + set : "replica " + set;
    if (n % set != 0) {
      out.add(Issue.error(bp, "brick count " + n + " is not a multiple of " + of));
      return;
    }
    int sets = n / set;
    String kind = t.dispersed() ? "disperse" : "replica";
    if ((t == VolumeType.REPLICATE || t == VolumeType.DISPERSE) && sets != 1) {
      out.add(Issue.error(bp, "type " + t + " has exactly one " + kind + " set, but " + n + " bricks with "
          + of + " make " + sets + "; use type distributed-" + t));
    }
    if ((t == VolumeType.DISTRIBUTED_REPLICATE || t == VolumeType.DISTRIBUTED_DISPERSE) && sets < 2) {
      out.add(Issue.error(bp, "type " + t + " needs at least 2 " + kind + " sets, but " + n + " bricks with "
          + of + " make 1; use type " + (t.dispersed() ? "disperse" : "replicate")));
    }
  }

  private boolean disperse(VolumeSpec v, String p) {
    boolean ok = true;
    if (v.disperse() == 0) {
      out.add(Issue.error(at(p, "disperse"), "required for type " + v.type() + " (bricks per disperse set, 3 or more)"));
      ok = false;
    } else if (v.disperse() < 3) {
      out.add(Issue.error(at(p, "disperse"), "disperse must be at least 3, got " + v.disperse()));
      ok = false;
    }
    if (v.redundancy() == 0) {
      out.add(Issue.error(at(p, "redundancy"), "required for type " + v.type() + " (bricks per set that may fail, 1 or more)"));
      ok = false;
    } else if (v.redundancy() < 1) {
      out.add(Issue.error(at(p, "redundancy"), "redundancy must be at least 1, got " + v.redundancy()));
      ok = false;
    } else if (v.disperse() >= 3 && 2 * v.redundancy() >= v.disperse()) {
      out.add(Issue.error(at(p, "redundancy"), "redundancy must be less than half of disperse: disperse "
          + v.disperse() + " allows at most " + ((v.disperse() - 1) / 2) + ", got " + v.redundancy()));
      ok = false;
    } else if (v.disperse() >= 3 && Integer.bitCount(v.disperse() - v.redundancy()) != 1) {
      out.add(Issue.warning(at(p, "redundancy"), "disperse " + v.disperse() + " with redundancy " + v.redundancy()
          + " leaves " + (v.disperse() - v.redundancy()) + " data bricks, not a power of 2: gluster calls this"
          + " not optimal (slower writes)"));
    }
    return ok;
  }

  private void notFor(int value, String path, VolumeType t) {
    if (value != 0) {
      out.add(Issue.error(path, "does not apply to type " + t));
    }
  }

  /** Bricks: known node, under a prepared mount, unique, not nested, sets spread over nodes. */
  private void brickPlacement(VolumeSpec v, String p) {
    List<String> nodeOf = new ArrayList<>();
    for (int b = 0; b < v.bricks().size(); b++) {
      Brick brick = v.bricks().get(b);
      String bp = at(at(p, "bricks"), b);
      Optional<NodeSpec> node = spec.nodeForBrickHost(brick.host());
      nodeOf.add(node.map(NodeSpec::name).orElse(null));
      String pathProblem = Names.absolutePath(brick.path());
      if (node.isEmpty()) {
        out.add(Issue.error(bp, SpecValidator.noSuchNode(spec, brick.host())));
      } else if (pathProblem != null) {
        out.add(Issue.error(bp, pathProblem));
      } else {
        mounted(node.get().name(), brick, bp);
        unique(node.get().name(), brick, bp);
      }
    }
    for (List<Integer> set : v.sets()) {
      Map<String, Integer> seen = new HashMap<>();
      for (int b : set) {
        String node = nodeOf.get(b);
        Integer other = node == null ? null : seen.putIfAbsent(node, b);
        if (other != null) {
          String msg = "bricks[" + other + "] and bricks[" + b + "] of " + (v.type().dispersed() ? "disperse" : "replica")
              + " set " + (set.get(0) / set.size() + 1) + " are both on " + node + ": losing " + node
              + " loses both copies";
          out.add(v.allowSameNodeReplicas()
              ? Issue.warning(at(at(p, "bricks"), b), msg + " (allowed by allowSameNodeReplicas)")
              : Issue.error(at(at(p, "bricks"), b), msg + " (set allowSameNodeReplicas: true to accept)"));
        }
      }
    }
  }

  private void mounted(String node, Brick brick, String bp) {
    List<String> mounts = spec.storageFor(node).stream().flatMap(e -> e.mounts().stream())
        .map(StorageEntry.Mount::mountPoint).toList();
    if (mounts.contains(brick.path())) {
      out.add(Issue.error(bp, brick.path() + " is the mount point itself; gluster wants a subdirectory,"
          + " e.g. " + brick.path() + "/brick"));
    } else if (mounts.stream().noneMatch(m -> Names.below(brick.path(), m))) {
      out.add(Issue.error(bp, brick.path() + " is not under a filesystem this spec prepares on " + node
          + (mounts.isEmpty() ? " (it prepares none there)" : " (" + String.join(", ", mounts) + ")")));
    }
  }

  private void unique(String node, Brick brick, String bp) {
    String key = node + ":" + brick.path();
    String first = bricks.putIfAbsent(key, bp);
    if (first != null) {
      out.add(Issue.error(bp, "brick " + brick + " is already used by " + first));
      return;
    }
    bricks.forEach((k, path) -> {
      String[] nk = k.split(":", 2);
      if (!k.equals(key) && nk[0].equals(node)
          && (Names.below(brick.path(), nk[1]) || Names.below(nk[1], brick.path()))) {
        out.add(Issue.error(bp, "brick " + brick + " and " + path + " are nested; gluster refuses a brick"
            + " inside another brick"));
      }
    });
  }
}
