package io.brickyard.coordinator.spec;

import java.util.List;

/**
 * What to prepare on a node's disks: an LVM thin layout ({@link LvmStorage}) or one whole device
 * formatted as XFS ({@link XfsDevice}, for hosts without device-mapper such as the lab).
 */
public sealed interface StorageEntry permits LvmStorage, XfsDevice {
  List<String> DEFAULT_MOUNT_OPTIONS = io.brickyard.common.storage.MountPoints.DEFAULT_OPTIONS;

  /** Whole devices this entry consumes (PVs, or the XFS device). */
  List<String> devices();

  /** Erase existing signatures on those devices first; without it dirty devices are refused. */
  boolean wipe();

  MkfsOptions mkfs();

  List<String> mountOptions();

  /** The disk identities the spec pins, by device path (only pinned devices). */
  java.util.Map<String, DiskPin> pins();

  /** The pin of one of {@link #devices()}; {@link DiskPin#NONE} when it has none. */
  default DiskPin pin(String device) {
    return pins().getOrDefault(device, DiskPin.NONE);
  }

  /** Filesystems this entry creates and mounts, in spec order. */
  List<Mount> mounts();

  /** A brick filesystem: the block device it lives on and where it is mounted. */
  record Mount(String device, String mountPoint, boolean fstabByUuid) {}
}
