package io.brickyard.coordinator.spec;

import java.util.List;
import java.util.Map;

/**
 * A whole device formatted as one XFS brick filesystem, no LVM. For hosts without device-mapper
 * (the lab) or admins who do not want thin provisioning. fstab refers to it by UUID by default
 * because /dev/sdX names can change across reboots (heketi#1371).
 */
public record XfsDevice(String device, boolean wipe, String mountPoint, boolean fstabByUuid,
    MkfsOptions mkfs, List<String> mountOptions, Map<String, DiskPin> pins) implements StorageEntry {
  public XfsDevice {
    mountOptions = List.copyOf(mountOptions);
    pins = Map.copyOf(pins);
  }

  public XfsDevice(String device, boolean wipe, String mountPoint, boolean fstabByUuid, MkfsOptions mkfs,
      List<String> mountOptions) {
    this(device, wipe, mountPoint, fstabByUuid, mkfs, mountOptions, Map.of());
  }

  @Override
  public List<String> devices() {
    return List.of(device);
  }

  @Override
  public List<Mount> mounts() {
    return List.of(new Mount(device, mountPoint, fstabByUuid));
  }
}
