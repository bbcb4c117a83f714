package io.brickyard.agent.storage;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.PurgeBrickDirectoryRequest;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * PurgeBrickDirectory ({@code brickyard volume delete --purge-bricks}): removes a former brick
 * directory, only when it is one: it holds {@code .glusterfs} and its
 * {@code trusted.glusterfs.volume-id} (read with getfattr) is the deleted volume's id. So a typo'd
 * path, another volume's brick or a mount point is never removed. {@code rm -rf --one-file-system}.
 */
final class BrickPurge {
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  OperationResult purge(Operation op, PurgeBrickDirectoryRequest req) {
    String path = Args.path("path", req.getPath());
    if (!UUID.matcher(req.getVolumeId()).matches()) {
      throw new IllegalArgumentException("volume_id: '" + req.getVolumeId() + "' is not a volume id (a UUID)");
    }
    Path dir = Path.of(path);
    if (!Files.exists(dir)) {
      return op.unchanged(path + " does not exist (already purged)");
    }
    if (!Files.isDirectory(dir.resolve(".glusterfs"))) {
      throw new RefusedException(path + " has no .glusterfs directory: not a former brick, not removed");
    }
    CommandResult r = op.read(Command.of(List.of("getfattr", "--absolute-names", "-e", "hex", "-n",
        "trusted.glusterfs.volume-id", "--", path)));
    String want = "0x" + req.getVolumeId().replace("-", "").toLowerCase(Locale.ROOT);
    if (!r.ok() || !r.stdout().toLowerCase(Locale.ROOT).contains("trusted.glusterfs.volume-id=" + want)) {
      throw new RefusedException(path + " is not a brick of volume " + req.getVolumeId() + " (its volume-id: "
          + (r.ok() ? r.stdout().strip().replace('\n', ' ') : r.stderr().strip()) + "), not removed");
    }
    op.change(Command.of(List.of("rm", "-rf", "--one-file-system", "--", path)));
    return op.done("removed the former brick directory " + path);
  }
}
