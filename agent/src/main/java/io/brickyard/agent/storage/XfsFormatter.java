package io.brickyard.agent.storage;

import io.brickyard.agent.inventory.DeviceInspection;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * EnsureXfs: an XFS filesystem on a device, made only when that cannot destroy data.
 *
 * <p>An XFS already there is the converged state (it is never re-made, whatever the request's
 * sizes: that would erase a brick). Anything else on the device (another filesystem, LVM, RAID,
 * a partition table, partitions) is refused unless the request says {@code wipe}, and then
 * {@code wipefs --all} runs first and is recorded, and only bound to the device the plan showed
 * ({@link DeviceInspection}). A device in use (mounted, held by device-mapper/md, swap, read-only,
 * a partition of a disk in use) is refused even with wipe. mkfs.xfs is run without {@code -f}, so
 * it would itself still refuse a signature the checks missed.
 */
final class XfsFormatter {
  static final int MAX_LABEL = 12;
  private static final Duration MKFS_TIMEOUT = Duration.ofMinutes(30);

  private XfsFormatter() {}

  static OperationResult ensure(Operation op, EnsureXfsRequest req, DeviceInspection.Sources src) {
    String dev = Args.device("device", req.getDevice());
    List<String> argv = mkfsArgv(req, dev);
    String majMin = BlockDevice.majMin(Path.of(dev));
    if (majMin == null) {
      throw new RefusedException(dev + " does not exist or is not a block device");
    }
    String digest = req.getOptions().getExpectedDeviceDigest();
    DeviceInspection found = DeviceInspection.read(op, dev, src);
    found.check(req.getExpectedDisk(), digest);
    Blkid.Probe probe = Blkid.result(op.read(Blkid.probe(dev)));
    if (probe.type().equals("xfs")) {
      if (!req.getLabel().isEmpty() && !req.getLabel().equals(probe.label())) {
        op.warn(dev + " already has XFS labelled '" + probe.label() + "', not '" + req.getLabel()
            + "'; not relabelling");
      }
      return op.unchanged(dev + " already has XFS (uuid " + probe.uuid() + ")");
    }
    List<String> why = found.notBlank();
    if (!found.inUse().isEmpty()) {
      throw new RefusedException("refusing to format " + dev + " (" + found.describe() + "): "
          + String.join("; ", found.inUse())
          + " (in use: wipe does not override this)");
    }
    if (!why.isEmpty() && !req.getWipe()) {
      throw new RefusedException("refusing to format " + dev + ": " + String.join("; ", why)
          + "; set wipe to erase it");
    }
    if (!why.isEmpty()) {
      found.authorizeWipe(op, digest, "mkfs.xfs");
      op.change(Command.of("wipefs", "--all", dev));
    }
    op.change(Command.of(argv).withTimeout(MKFS_TIMEOUT));
    if (op.dryRun()) {
      return op.done("create XFS on " + dev + " (" + found.describe() + ")"
          + (why.isEmpty() ? "" : " after wiping " + String.join(", ", why)));
    }
    Blkid.Probe made = Blkid.result(op.read(Blkid.probe(dev)));
    if (!made.type().equals("xfs")) {
      throw new io.brickyard.agent.op.OperationFailedException(
          "mkfs.xfs succeeded but blkid sees '" + made.type() + "' on " + dev);
    }
    return op.done("created XFS on " + dev + " (uuid " + made.uuid()
        + (made.label().isEmpty() ? "" : ", label " + made.label()) + ")");
  }

  /** mkfs.xfs -i size=I -n size=N [-d su=,sw=] [-L label] DEVICE, validated. */
  static List<String> mkfsArgv(EnsureXfsRequest req, String dev) {
    int inode = Args.powerOfTwo("inode_size", req.getInodeSize(), 512, 256, 2048);
    int naming = Args.powerOfTwo("naming_size", req.getNamingSize(), 8192, 512, 65536);
    List<String> argv = new ArrayList<>(List.of("mkfs.xfs", "-i", "size=" + inode, "-n", "size=" + naming));
    boolean su = !req.getStripeUnit().isEmpty();
    if (su != (req.getStripeWidth() != 0)) {
      throw new IllegalArgumentException("stripe_unit and stripe_width must be given together");
    }
    if (su) {
      if (req.getStripeWidth() < 1) {
        throw new IllegalArgumentException("stripe_width must be >= 1, got " + req.getStripeWidth());
      }
      argv.add("-d");
      argv.add("su=" + Args.size("stripe_unit", req.getStripeUnit()) + ",sw=" + req.getStripeWidth());
    }
    String label = req.getLabel();
    if (!label.isEmpty()) {
      if (label.length() > MAX_LABEL || !label.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("label must be 1-" + MAX_LABEL + " of [A-Za-z0-9_.-], got '" + label + "'");
      }
      argv.add("-L");
      argv.add(label);
    }
    argv.add(dev);
    return argv;
  }
}
