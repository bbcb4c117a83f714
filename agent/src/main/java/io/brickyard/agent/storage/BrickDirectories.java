package io.brickyard.agent.storage;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * EnsureBrickDirectory: the directory a Gluster brick lives in, created only where it belongs.
 *
 * <p>The classic accident is a brick written to the root filesystem because its mount was
 * missing (a failed mount after reboot, a typo): Gluster then happily fills "/". So the
 * directory is refused when the filesystem that would hold it is "/" (unless explicitly
 * allowed, for labs), and when fstab declares a mount above it that is not mounted now.
 */
final class BrickDirectories {
  private final AgentContext ctx;

  BrickDirectories(AgentContext ctx) {
    this.ctx = ctx;
  }

  OperationResult ensure(Operation op, EnsureBrickDirectoryRequest req) {
    String path = Args.path("path", req.getPath());
    Path dir = Path.of(path);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new RefusedException(path + " exists and is not a directory");
    }
    Optional<FstabEntry> declared = declaredMountAbove(path);
    MountTable all = MountTable.parse(op.readChecked(MountTable.all()).stdout());
    if (declared.isPresent() && all.at(declared.get().file()).isEmpty()) {
      throw new RefusedException(declared.get().file() + " is in fstab but not mounted; mount it before "
          + "creating " + path + " (or the brick would land on the filesystem below)");
    }
    Path existing = dir;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    CommandResult r = op.readChecked(MountTable.containing(existing.toString()));
    List<MountTable.Mount> holder = MountTable.parse(r.stdout()).mounts();
    if (holder.isEmpty()) {
      throw new OperationFailedException("findmnt found no filesystem holding " + existing);
    }
    MountTable.Mount fs = holder.get(holder.size() - 1);
    if (fs.target().equals("/") && !req.getAllowRootFilesystem()) {
      throw new RefusedException(path + " would be on the root filesystem (" + fs.source()
          + "); mount the brick filesystem first, or set allow_root_filesystem");
    }
    if (fs.target().equals(path)) {
      op.warn(path + " is a mount point itself; use a subdirectory (e.g. " + path + "/brick) so an "
          + "unmounted brick makes Gluster fail instead of writing to the filesystem below");
    }
    if (Files.isDirectory(dir)) {
      if (req.getRequireEmpty() && !empty(dir)) {
        throw new RefusedException(path + " is not empty (an old brick's files or .glusterfs?): a replacement brick"
            + " must be a new, empty directory");
      }
      return op.unchanged(path + " already exists on " + fs.target() + (req.getRequireEmpty() ? ", empty" : ""));
    }
    op.changeInProcess(List.of("brickyard:mkdir", "-p", path), () -> Files.createDirectories(dir));
    return op.done("created " + path + " on " + fs.target());
  }

  private static boolean empty(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The deepest fstab mount point (other than "/") that is path or one of its ancestors. */
  private Optional<FstabEntry> declaredMountAbove(String path) {
    FstabFile fstab;
    try {
      fstab = FstabFile.load(ctx.paths().fstab());
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + ctx.paths().fstab() + ": " + e.getMessage(), e);
    }
    return fstab.entries().stream()
        .filter(e -> e.file().startsWith("/") && !e.file().equals("/") && !e.options().contains("noauto"))
        .filter(e -> path.equals(e.file()) || path.startsWith(e.file() + "/"))
        .max(Comparator.comparingInt(e -> e.file().length()));
  }
}
