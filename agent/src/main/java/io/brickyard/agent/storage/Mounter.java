package io.brickyard.agent.storage;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveMountRequest;
import io.brickyard.common.exec.Command;
import io.brickyard.common.storage.MountPoints;
import io.brickyard.common.exec.CommandFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * EnsureMount and RemoveMount. Every step reads the node first and does only what is missing,
 * in an order where a kill at any point leaves a state the next run completes:
 * mount point directory, then the mount, then the fstab line, written only once the mount
 * succeeded (a line for a filesystem that cannot be mounted would fail the next boot). Teardown is
 * the reverse: umount, then the fstab line (so a reboot in between never mounts a half-removed
 * brick elsewhere).
 *
 * <p>All refusals are decided before the first change, so a refused request changes nothing.
 */
final class Mounter {
  static final List<String> DEFAULT_OPTIONS = MountPoints.DEFAULT_OPTIONS;

  /**
   * Options that only mount(8)/systemd read from fstab and the kernel never shows in the live
   * options: comparing them with findmnt would make every run "missing nofail" and remount forever.
   */
  private static final List<String> USERSPACE_ONLY = List.of("nofail", "auto", "noauto", "user", "nouser",
      "users", "owner", "group", "_netdev", "defaults");

  private final AgentContext ctx;

  Mounter(AgentContext ctx) {
    this.ctx = ctx;
  }

  OperationResult ensure(Operation op, EnsureMountRequest req) {
    String dev = Args.device("device", req.getDevice());
    String mp = Args.mountPoint("mount_point", req.getMountPoint());
    String type = req.getFsType().isEmpty() ? "xfs" : Args.option("fs_type", req.getFsType());
    List<String> options = new ArrayList<>();
    for (String o : req.getMountOptionsList().isEmpty() ? DEFAULT_OPTIONS : req.getMountOptionsList()) {
      options.add(Args.option("mount_options", o));
    }
    String majMin = BlockDevice.majMin(Path.of(dev));
    if (majMin == null) {
      throw new RefusedException(dev + " does not exist or is not a block device");
    }
    Blkid.Probe fs = Blkid.result(op.read(Blkid.probe(dev)));
    if (!fs.type().equals(type)) {
      throw new RefusedException(dev + " has no " + type + " filesystem (found '" + fs.type()
          + "'); create it first (EnsureXfs)");
    }
    Path dir = Path.of(mp);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RefusedException(mp + " exists and is not a directory");
    }
    refuseSystemTarget(mp);
    MountTable table = MountTable.parse(op.readChecked(MountTable.all()).stdout());
    List<MountTable.Mount> here = checkMounts(op, table, dev, majMin, mp);
    if (here.isEmpty()) {
      refuseNonEmpty(dir);
    }
    String spec = req.getFstabByUuid() ? "UUID=" + fs.uuid() : dev;
    FstabFile fstab = load();
    FstabFile.Change change = fstab.ensure(FstabEntry.owned(spec, mp, type, options));
    List<String> missing = here.isEmpty() ? List.of() : missingLive(here.get(0), options);

    if (!Files.isDirectory(dir)) {
      op.changeInProcess(List.of("brickyard:mkdir", "-p", mp), () -> Files.createDirectories(dir));
    }
    if (here.isEmpty()) {
      op.change(Command.of("mount", "-t", type, "-o", String.join(",", options), dev, mp));
    } else if (!missing.isEmpty()) {
      // In place, on the live brick: no unmount, no interruption of the brick's I/O.
      op.change(Command.of("mount", "-o", "remount," + String.join(",", options), mp));
    }
    if (change != FstabFile.Change.UNCHANGED) {
      String line = FstabEntry.owned(spec, mp, type, options).asOwnedLine().strip();
      op.changeInProcess(List.of("brickyard:fstab", change == FstabFile.Change.ADDED ? "add" : "replace", line),
          () -> FstabWriter.write(ctx.paths().fstab(), fstab, ctx.paths().fstabBackup()));
    }
    if (!op.changed()) {
      return op.unchanged(dev + " already mounted at " + mp + " and in fstab");
    }
    return op.done(dev + " mounted at " + mp + " with fstab line"
        + (missing.isEmpty() ? "" : " (remounted to add " + String.join(",", missing) + ")"));
  }

  /** The same rule as the spec validator's, on the path with symlinks resolved (/var/run is /run). */
  private static void refuseSystemTarget(String mp) {
    Path existing = Path.of(mp);
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return;
    }
    Path real;
    try {
      real = existing.toRealPath().resolve(existing.relativize(Path.of(mp)));
    } catch (IOException e) {
      throw new OperationFailedException("cannot resolve " + existing + ": " + e.getMessage(), e);
    }
    if (!real.toString().equals(mp)) {
      MountPoints.refusal(real.toString()).ifPresent(why -> {
        throw new RefusedException(mp + " resolves to " + real + ": " + why);
      });
    }
  }

  /** A mount on a directory that holds files hides them: refused, whatever they are. */
  private static void refuseNonEmpty(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.limit(4).map(p -> p.getFileName().toString()).sorted().toList();
      if (!names.isEmpty()) {
        throw new RefusedException(dir + " is not empty (" + String.join(", ", names)
            + (names.size() > 3 ? ", ..." : "") + ") and nothing is mounted there: a mount would hide what it"
            + " holds; move it away or choose another mount point");
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Requested options the live mount lacks (those the kernel never shows are not compared). */
  static List<String> missingLive(MountTable.Mount live, List<String> options) {
    return options.stream().filter(o -> !USERSPACE_ONLY.contains(o) && !o.startsWith("x-")
        && !o.startsWith("comment=") && !live.hasOption(o)).toList();
  }

  /** The mounts at mp (all of dev); refuses when mp holds something else or dev is elsewhere. */
  private static List<MountTable.Mount> checkMounts(Operation op, MountTable table, String dev, String majMin,
      String mp) {
    List<MountTable.Mount> here = table.at(mp);
    for (MountTable.Mount m : here) {
      if (!m.majMin().equals(majMin)) {
        throw new RefusedException(mp + " already has " + m.source() + " (" + m.fsType()
            + ") mounted on it, not " + dev);
      }
    }
    List<MountTable.Mount> elsewhere = table.ofDevice(majMin).stream()
        .filter(m -> !m.target().equals(mp)).toList();
    if (here.isEmpty() && !elsewhere.isEmpty()) {
      throw new RefusedException(dev + " is already mounted at " + elsewhere.get(0).target()
          + "; unmount it there first");
    }
    if (!here.isEmpty() && !elsewhere.isEmpty()) {
      op.warn(dev + " is also mounted at " + elsewhere.get(0).target());
    }
    return here;
  }

  OperationResult remove(Operation op, RemoveMountRequest req) {
    String mp = Args.path("mount_point", req.getMountPoint());
    FstabFile fstab = load();
    boolean owned = fstab.owned(mp).isPresent();
    if (!owned && !fstab.at(mp).isEmpty()) {
      throw new RefusedException("the fstab line for " + mp + " is not managed by brickyard; not touching it");
    }
    MountTable table = MountTable.parse(op.readChecked(MountTable.all()).stdout());
    List<MountTable.Mount> here = table.at(mp);
    if (!here.isEmpty() && !owned) {
      throw new RefusedException(mp + " is mounted (" + here.get(0).source()
          + ") but has no brickyard fstab line: not brickyard's mount, not unmounting it");
    }
    String spec = fstab.owned(mp).map(FstabEntry::spec).orElse("");
    String specDev = spec.startsWith("/dev/") ? BlockDevice.majMin(Path.of(spec)) : null;
    if (specDev != null && !here.isEmpty() && !here.get(0).majMin().equals(specDev)) {
      throw new RefusedException(mp + " has " + here.get(0).source() + " mounted, not " + spec
          + " from brickyard's fstab line; not unmounting someone else's filesystem");
    }
    if (here.size() > 1) {
      throw new RefusedException(mp + " has " + here.size() + " stacked mounts; unmount them by hand");
    }
    if (!here.isEmpty()) {
      try {
        op.change(Command.of("umount", mp));
      } catch (CommandFailedException e) {
        String err = e.result().stderr().strip();
        if (err.contains("busy")) {
          throw new RefusedException(mp + " is busy (" + err + "): stop what uses it (the brick's "
              + "glusterfsd, a shell cwd, open files) and retry; brickyard never lazy-unmounts");
        }
        throw e;
      }
    }
    if (owned) {
      fstab.removeOwned(mp);
      op.changeInProcess(List.of("brickyard:fstab", "remove", mp),
          () -> FstabWriter.write(ctx.paths().fstab(), fstab, ctx.paths().fstabBackup()));
    }
    return op.changed() ? op.done("unmounted " + mp + " and removed its fstab line")
        : op.unchanged(mp + " already unmounted and not in fstab");
  }

  private FstabFile load() {
    try {
      return FstabFile.load(ctx.paths().fstab());
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + ctx.paths().fstab() + ": " + e.getMessage(), e);
    }
  }
}
