package io.brickyard.agent.gluster;

import io.brickyard.agent.op.NotFoundException;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.CloneSnapshotRequest;
import io.brickyard.api.agent.v1.CreateSnapshotRequest;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.ListSnapshotsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.Snapshot;
import io.brickyard.api.agent.v1.SnapshotBrick;
import io.brickyard.api.agent.v1.SnapshotBricks;
import io.brickyard.api.agent.v1.SnapshotBricksRequest;
import io.brickyard.api.agent.v1.SnapshotChangeRequest;
import io.brickyard.api.agent.v1.SnapshotList;
import io.brickyard.api.agent.v1.SnapshotRef;
import io.brickyard.common.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gluster volume snapshots through {@code gluster --mode=script snapshot ... --xml}. Every change
 * reads first and is idempotent where gluster lets it be (create of an existing snapshot of the
 * same volume, activate of an active one, delete of an absent one: unchanged), and refuses with a
 * reason where glusterd's own would be poor: a brick not on a thin LV is named with what it is on
 * ({@link ThinBricks}), a restore of a started volume and a clone of an inactive snapshot say what
 * to do first.
 */
final class Snapshots {
  private static final String GLUSTERD_DOWN = "glusterd is not running on this node (ensure the glusterd service first)";
  private final CommandRunner runner;
  private final GlusterCli cli;
  private final ThinBricks thin;

  Snapshots(CommandRunner runner, GlusterCli cli, ThinBricks thin) {
    this.runner = runner;
    this.cli = cli;
    this.thin = thin;
  }

  Snapshots(CommandRunner runner) {
    this(runner, new GlusterCli(GlusterCli.REAL_SLEEP, Duration.ofMillis(500)), ThinBricks.system());
  }

  OperationResult create(CreateSnapshotRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    String name = GlusterNames.snapshot("name", req.getName());
    String description = GlusterNames.description("description", req.getDescription());
    Operation op = new Operation(runner, req.getOptions());
    Optional<Snapshot> have = find(op, name);
    if (have.isPresent()) {
      if (!have.get().getVolume().equals(vol)) {
        throw new RefusedException("snapshot " + name + " already exists, of volume " + have.get().getVolume()
            + " (snapshot names are unique in the cluster)");
      }
      return op.unchanged("snapshot " + name + " of " + vol + " already exists (created " + have.get().getCreateTime() + ")");
    }
    GlusterVolume v = volume(op, vol);
    if (!v.getStatus().equals("Started")) {
      throw new RefusedException("volume " + vol + " is " + v.getStatus() + ": gluster snapshots only a started volume");
    }
    List<String> problems = bricks(op, vol).stream().map(SnapshotBrick::getProblem).filter(p -> !p.isEmpty()).toList();
    if (!problems.isEmpty()) {
      throw new RefusedException("cannot snapshot " + vol + ": " + String.join("; ", problems));
    }
    List<String> args = new ArrayList<>(List.of("snapshot", "create", name, vol, "no-timestamp"));
    if (!description.isEmpty()) {
      args.addAll(List.of("description", description));
    }
    String xml = cli.changeXml(op, args, "snapshot create " + name);
    String uuid = op.dryRun() ? "" : " (" + SnapshotXml.parseCreate(xml).uuid() + ")";
    return op.done("created snapshot " + name + " of " + vol + uuid);
  }

  SnapshotList list(ListSnapshotsRequest req) {
    Operation op = new Operation(runner, true);
    String xml;
    if (req.getVolume().isEmpty()) {
      xml = readUp(op, "snapshot", "info");
    } else {
      String vol = GlusterNames.volume("volume", req.getVolume());
      volume(op, vol);
      xml = readUp(op, "snapshot", "info", "volume", vol);
    }
    return SnapshotList.newBuilder().addAllSnapshots(SnapshotXml.parseInfo(xml)).build();
  }

  Snapshot get(SnapshotRef req) {
    String name = GlusterNames.snapshot("name", req.getName());
    Operation op = new Operation(runner, true);
    return find(op, name).orElseThrow(() -> new NotFoundException("snapshot " + name + " does not exist"));
  }

  OperationResult activate(SnapshotChangeRequest req) {
    String name = GlusterNames.snapshot("name", req.getName());
    Operation op = new Operation(runner, req.getOptions());
    if (existing(op, name).getActivated()) {
      return op.unchanged("snapshot " + name + " is already activated");
    }
    cli.changeXml(op, List.of("snapshot", "activate", name), "snapshot activate " + name);
    return op.done("activated snapshot " + name);
  }

  OperationResult deactivate(SnapshotChangeRequest req) {
    String name = GlusterNames.snapshot("name", req.getName());
    Operation op = new Operation(runner, req.getOptions());
    if (!existing(op, name).getActivated()) {
      return op.unchanged("snapshot " + name + " is already deactivated");
    }
    cli.changeXml(op, List.of("snapshot", "deactivate", name), "snapshot deactivate " + name);
    return op.done("deactivated snapshot " + name);
  }

  /** gluster restores only onto a stopped volume, and removes the snapshot it restored. */
  OperationResult restore(SnapshotChangeRequest req) {
    String name = GlusterNames.snapshot("name", req.getName());
    Operation op = new Operation(runner, req.getOptions());
    Snapshot s = existing(op, name);
    GlusterVolume v = volume(op, s.getVolume());
    if (v.getStatus().equals("Started")) {
      throw new RefusedException("volume " + v.getName() + " is started: stop it before restoring " + name
          + " (gluster restores onto a stopped volume only)");
    }
    cli.changeXml(op, List.of("snapshot", "restore", name), "snapshot restore " + name);
    return op.done("restored " + v.getName() + " to snapshot " + name + " (gluster removed the snapshot; the volume"
        + " stays stopped)");
  }

  OperationResult clone(CloneSnapshotRequest req) {
    String name = GlusterNames.snapshot("snapshot", req.getSnapshot());
    String clone = GlusterNames.volume("clone", req.getClone());
    Operation op = new Operation(runner, req.getOptions());
    Snapshot s = existing(op, name);
    if (volumes(op).stream().anyMatch(v -> v.getName().equals(clone))) {
      throw new RefusedException("a volume named " + clone + " already exists (a clone is a new volume)");
    }
    if (!s.getActivated()) {
      throw new RefusedException("snapshot " + name + " is not activated: activate it first (gluster clones only an"
          + " activated snapshot)");
    }
    String xml = cli.changeXml(op, List.of("snapshot", "clone", clone, name), "snapshot clone " + name);
    String uuid = op.dryRun() ? "" : ", volume id " + SnapshotXml.parseClone(xml).uuid();
    return op.done("cloned snapshot " + name + " into new volume " + clone + " (created, not started" + uuid + ")");
  }

  OperationResult delete(SnapshotChangeRequest req) {
    String name = GlusterNames.snapshot("name", req.getName());
    Operation op = new Operation(runner, req.getOptions());
    if (find(op, name).isEmpty()) {
      return op.unchanged("snapshot " + name + " does not exist");
    }
    cli.changeXml(op, List.of("snapshot", "delete", name), "snapshot delete " + name);
    return op.done("deleted snapshot " + name);
  }

  SnapshotBricks bricks(SnapshotBricksRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, true);
    volume(op, vol);
    return SnapshotBricks.newBuilder().addAllBricks(bricks(op, vol)).build();
  }

  private List<SnapshotBrick> bricks(Operation op, String vol) {
    String local = PoolXml.parse(readUp(op, "pool", "list")).getLocalUuid();
    return thin.inspect(op, ThinBricks.localBricks(readUp(op, "volume", "info", vol), vol, local));
  }

  /** A snapshot by name: {@code snapshot list} first (an info of a missing name is an error answer). */
  private static Optional<Snapshot> find(Operation op, String name) {
    if (!SnapshotXml.parseList(readUp(op, "snapshot", "list")).contains(name)) {
      return Optional.empty();
    }
    return SnapshotXml.parseInfo(readUp(op, "snapshot", "info", name)).stream()
        .filter(s -> s.getName().equals(name)).findFirst();
  }

  private static Snapshot existing(Operation op, String name) {
    return find(op, name).orElseThrow(() -> new NotFoundException("snapshot " + name + " does not exist"));
  }

  private static List<GlusterVolume> volumes(Operation op) {
    return VolumeXml.parseInfo(readUp(op, "volume", "info", "all"));
  }

  private static GlusterVolume volume(Operation op, String vol) {
    return volumes(op).stream().filter(v -> v.getName().equals(vol)).findFirst()
        .orElseThrow(() -> new NotFoundException("volume " + vol + " does not exist"));
  }

  private static String readUp(Operation op, String... args) {
    return GlusterCli.readXmlIfUp(op, args).orElseThrow(() -> new RefusedException(GLUSTERD_DOWN));
  }
}
