package io.brickyard.agent.inventory;

import io.brickyard.common.storage.DiskText;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.DeviceIdentity;
import io.brickyard.api.agent.v1.ExpectedDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What is on one block device right now, read before a device step (mkfs, pvcreate, and the wipe
 * before them) may change it: which disk it is (lsblk: model, serial, WWN, size), every signature
 * on it (wipefs), what holds it (sysfs), and whether it carries the running system.
 *
 * <p>Why identity matters: {@code /dev/sdX} names are handed out in probe order and can move to
 * another disk after a reboot; a spec that says {@code wipe: true} for {@code /dev/sdb} would then
 * erase whichever disk is called sdb today. So every device step reports the {@link DeviceIdentity}
 * it found (the plan shows it, and its digest is part of the plan's fingerprint); a wipe runs only
 * when the request carries the digest the plan's dry run reported and the device still matches it
 * ({@link #authorizeWipe}); and a spec may pin the disk's WWN or serial ({@link #check}).
 *
 * <p>Never wiped or formatted, whatever the request says ({@link #inUse}): a device mounted (itself
 * or anything built on it, through dm/LVM/md holders), held, read-only, active swap
 * ({@code /proc/swaps}), or a partition of a disk whose other partitions are mounted (the OS disk:
 * its unused partition is not a free disk).
 */
public final class DeviceInspection {
  /** Mount points that mean "this is the running system" in refusals. */
  private static final List<String> SYSTEM_MOUNTS = List.of("/", "/boot", "/boot/efi", "[SWAP]");

  /** Where the kernel facts are read; tests point them at captured files. */
  public record Sources(Path sysDevBlock, Path procSwaps) {
    public static final Sources SYSTEM = new Sources(Path.of("/sys/dev/block"), Path.of("/proc/swaps"));
  }

  private final String path;
  private final Lsblk.Node node;
  private final List<Wipefs.Signature> signatures;
  private final List<String> holders;
  private final List<String> inUse;
  private final DeviceIdentity identity;

  private DeviceInspection(String path, Lsblk.Node node, List<Wipefs.Signature> signatures, List<String> holders,
      List<String> inUse) {
    this.path = path;
    this.node = node;
    this.signatures = List.copyOf(signatures);
    this.holders = List.copyOf(holders);
    this.inUse = List.copyOf(inUse);
    this.identity = identity(path, node, signatures);
  }

  /** Reads the device (reads run in a dry run too) and reports its identity with the operation. */
  public static DeviceInspection read(Operation op, String device, Sources src) {
    List<Lsblk.Node> nodes = Lsblk.parse(op.readChecked(Lsblk.of(device)).stdout());
    if (nodes.isEmpty()) {
      throw new RefusedException("lsblk does not know " + device);
    }
    Lsblk.Node node = nodes.get(0);
    List<Wipefs.Signature> sigs = Wipefs.signatures(op.readChecked(Wipefs.probe(device)).stdout());
    List<String> holders = holders(src, node.majMin());
    List<String> swaps = swapKernelNames(src.procSwaps());
    List<String> inUse = new ArrayList<>(usage(node, holders, swaps));
    if ("part".equals(node.type())) {
      List<Lsblk.Node> forest = Lsblk.parse(op.readChecked(Lsblk.COMMAND).stdout());
      inUse.addAll(parentDiskUsage(forest, node, swaps));
    }
    DeviceInspection d = new DeviceInspection(device, node, sigs, holders, inUse);
    op.device(d.identity);
    return d;
  }

  /** Why the device is in use right now (each reason also when the request says wipe). */
  static List<String> usage(Lsblk.Node node, List<String> holders, List<String> swapKernelNames) {
    List<String> why = new ArrayList<>();
    List<String> mounted = node.mountpointsBelow();
    if (!node.mountpoints().isEmpty()) {
      why.add("mounted at " + String.join(", ", node.mountpoints()) + system(mounted));
    } else if (!mounted.isEmpty()) {
      why.add("a partition or holder is mounted (" + String.join(", ", mounted) + ")" + system(mounted));
    }
    if (!holders.isEmpty()) {
      why.add("in use by " + String.join(", ", holders));
    }
    List<String> swap = node.knamesBelow().stream().filter(swapKernelNames::contains).toList();
    if (!swap.isEmpty() && !mounted.contains("[SWAP]")) {
      why.add("active swap on " + String.join(", ", swap) + " (/proc/swaps)");
    }
    if (node.readOnly()) {
      why.add("read-only");
    }
    return why;
  }

  /**
   * A partition is refused when its disk (any lsblk root above it) has mounted filesystems or
   * swap elsewhere: that is a disk in use (typically the OS disk), not one to give to bricks.
   */
  static List<String> parentDiskUsage(List<Lsblk.Node> forest, Lsblk.Node partition, List<String> swapKernelNames) {
    List<String> why = new ArrayList<>();
    for (Lsblk.Node root : forest) {
      if (root.kname().equals(partition.kname()) || !root.knamesBelow().contains(partition.kname())) {
        continue;
      }
      List<String> used = new ArrayList<>(root.mountpointsBelow());
      root.knamesBelow().stream().filter(swapKernelNames::contains).filter(k -> !used.contains("[SWAP]"))
          .forEach(k -> used.add("swap " + k));
      if (!used.isEmpty()) {
        why.add("a partition of " + root.path() + ", whose filesystems are in use (" + String.join(", ", used) + ")"
            + system(used));
      }
    }
    return why;
  }

  private static String system(List<String> mounts) {
    List<String> sys = mounts.stream().filter(SYSTEM_MOUNTS::contains).toList();
    return sys.isEmpty() ? "" : ": it carries the running system (" + String.join(", ", sys) + ")";
  }

  /** Kernel names of the block devices in /proc/swaps (swap files are on a mounted filesystem anyway). */
  static List<String> swapKernelNames(Path procSwaps) {
    List<String> lines;
    try {
      lines = Files.exists(procSwaps) ? Files.readAllLines(procSwaps, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new RefusedException("cannot read " + procSwaps + " to rule out swap: " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    for (String line : lines.stream().skip(1).toList()) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 2 && f[1].equals("partition")) {
        Path p = Path.of(f[0].replace("\\040", " "));
        try {
          p = p.toRealPath(); // /dev/mapper/vg-swap -> /dev/dm-1
        } catch (IOException | RuntimeException e) {
          // not visible here (a lab host's private /dev): its own name is all there is
        }
        out.add(p.getFileName().toString());
      }
    }
    return out;
  }

  private static List<String> holders(Sources src, String majMin) {
    try {
      return DeviceNodes.holders(src.sysDevBlock().resolve(majMin));
    } catch (IOException e) {
      return List.of("(holders unreadable: " + e.getMessage() + ")"); // never guess "free"
    }
  }

  static DeviceIdentity identity(String path, Lsblk.Node n, List<Wipefs.Signature> sigs) {
    DeviceIdentity.Builder b = DeviceIdentity.newBuilder().setPath(path).setKernelName(n.kname())
        .setModel(n.model()).setSerial(n.serial()).setWwn(n.wwn()).setSizeBytes(n.size());
    sigs.forEach(s -> b.addSignatures(s.describe()));
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(b.build().toByteArray());
      return b.setDigest(HexFormat.of().formatHex(sha)).build();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Refuses when the device is not the disk the spec pins, or not what the plan saw: both are the
   * signs that the name now points at another disk (or someone wrote to it since).
   */
  public void check(ExpectedDisk expected, String expectedDigest) {
    if (!expected.getWwn().isEmpty() && !wwn(expected.getWwn()).equals(wwn(identity.getWwn()))) {
      throw new RefusedException(path + " is not the disk the spec names: expected WWN " + expected.getWwn()
          + ", found " + describe() + "; device names can move between disks after a reboot, nothing was done");
    }
    if (!expected.getSerial().isEmpty() && !expected.getSerial().strip().equals(identity.getSerial())) {
      throw new RefusedException(path + " is not the disk the spec names: expected serial " + expected.getSerial()
          + ", found " + describe() + "; device names can move between disks after a reboot, nothing was done");
    }
    if (!expectedDigest.isEmpty() && !expectedDigest.equals(identity.getDigest())) {
      throw new RefusedException(path + " is not what the plan showed (device digest " + shortDigest(expectedDigest)
          + "), it is now " + describe() + ": nothing was done; review a new plan");
    }
  }

  /**
   * A wipe is allowed only bound to what the plan showed: the real request must carry the digest
   * the dry run reported (checked equal by {@link #check}). A dry run only reports.
   */
  public void authorizeWipe(Operation op, String expectedDigest, String what) {
    if (!op.dryRun() && expectedDigest.isEmpty()) {
      throw new RefusedException("refusing to wipe " + path + " (" + describe() + ") for " + what + ": a wipe must"
          + " be bound to the device a plan showed, and this request carries no expected_device_digest;"
          + " apply it from a reviewed plan (brickyard plan, then apply --plan-fingerprint)");
    }
  }

  /** The disk as an admin reads it (see {@link DiskText}). */
  public String describe() {
    return DiskText.describe(identity);
  }

  private static String wwn(String w) {
    String s = w.strip().toLowerCase(Locale.ROOT);
    return s.startsWith("0x") ? s.substring(2) : s;
  }

  static String shortDigest(String digest) {
    return digest.length() > 16 ? digest.substring(0, 16) : digest;
  }

  public DeviceIdentity identity() {
    return identity;
  }

  public Lsblk.Node node() {
    return node;
  }

  public List<String> signatureTypes() {
    return Wipefs.types(signatures);
  }

  public List<String> holders() {
    return holders;
  }

  /** Reasons the device is in use now; wipe never overrides these. Empty = not in use. */
  public List<String> inUse() {
    return inUse;
  }

  /** Everything that makes the device not blank (signatures, partitions, use): what a wipe would erase. */
  public List<String> notBlank() {
    return DeviceRules.rejections(node, signatureTypes(), holders, 1);
  }
}
