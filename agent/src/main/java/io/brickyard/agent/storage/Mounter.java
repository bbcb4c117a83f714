package io.brickyard.agent.storage;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveMountRequest;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * EnsureMount and RemoveMount. Every step reads the node first and does only what is missing,
 * in an order where a kill at any point leaves a state the next run completes:
 * mount point directory, then the fstab line, then the mount. Teardown is the reverse: umount,
 * then the fstab line (so a reboot in between never mounts a half-removed brick elsewhere).
 *
 * <p>All refusals are decided before the first change, so a refused request changes nothing.
 */
final class Mounter {
  static final List<String> DEFAULT_OPTIONS = List.of("rw", "noatime", "nouuid", "inode64");

  private final AgentContext ctx;

  Mounter(AgentContext ctx) {
    this.ctx = ctx;
  }

  OperationResult ensure(Operation op, EnsureMountRequest req) {
    String dev = Args.device("device", req.getDevice());
    String mp = Args.path("mount_point", req.getMountPoint());
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
    MountTable table = MountTable.parse(op.readChecked(MountTable.all()).stdout());
    boolean mounted = checkMounts(op, table, dev, majMin, mp, options);
    String spec = req.getFstabByUuid() ? "UUID=" + fs.uuid() : dev;
    FstabFile fstab = load();
    FstabFile.Change change = fstab.ensure(FstabEntry.owned(spec, mp, type, options));

    if (!Files.isDirectory(dir)) {
      op.changeInProcess(List.of("brickyard:mkdir", "-p", mp), () -> Files.createDirectories(dir));
    }
    if (change != FstabFile.Change.UNCHANGED) {
      String line = FstabEntry.owned(spec, mp, type, options).asOwnedLine().strip();
      op.changeInProcess(List.of("brickyard:fstab", change == FstabFile.Change.ADDED ? "add" : "replace", line),
          () -> FstabWriter.write(ctx.paths().fstab(), fstab, ctx.paths().fstabBackup()));
    }
    if (!mounted) {
      op.change(Command.of("mount", "-t", type, "-o", String.join(",", options), dev, mp));
    }
    return op.changed() ? op.done(dev + " mounted at " + mp + " with fstab line")
        : op.unchanged(dev + " already mounted at " + mp + " and in fstab");
  }

  /** True when dev is mounted at mp; refuses when mp holds something else or dev is elsewhere. */
  private static boolean checkMounts(Operation op, MountTable table, String dev, String majMin, String mp,
      List<String> options) {
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
    if (!here.isEmpty()) {
      if (!elsewhere.isEmpty()) {
        op.warn(dev + " is also mounted at " + elsewhere.get(0).target());
      }
      List<String> missing = options.stream().filter(o -> !here.get(0).hasOption(o)).toList();
      if (!missing.isEmpty()) {
        op.warn(mp + " is mounted without " + missing + " (live options: " + here.get(0).options()
            + "); remount to apply");
      }
    }
    return !here.isEmpty();
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
