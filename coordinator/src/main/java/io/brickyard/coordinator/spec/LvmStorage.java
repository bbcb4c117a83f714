package io.brickyard.coordinator.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recipe's layout: devices -> one volume group -> one thin pool -> thin volumes, each an XFS
 * brick filesystem. Thin volumes let bricks of several gluster volumes share a disk and grow.
 */
public record LvmStorage(List<String> devices, boolean wipe, String volumeGroup, ThinPool thinPool,
    List<ThinVolume> thinVolumes, MkfsOptions mkfs, List<String> mountOptions, Map<String, DiskPin> pins)
    implements StorageEntry {
  public LvmStorage {
    devices = List.copyOf(devices);
    thinVolumes = List.copyOf(thinVolumes);
    mountOptions = List.copyOf(mountOptions);
    pins = Map.copyOf(pins);
  }

  public LvmStorage(List<String> devices, boolean wipe, String volumeGroup, ThinPool thinPool,
      List<ThinVolume> thinVolumes, MkfsOptions mkfs, List<String> mountOptions) {
    this(devices, wipe, volumeGroup, thinPool, thinVolumes, mkfs, mountOptions, Map.of());
  }

  @Override
  public List<Mount> mounts() {
    return thinVolumes.stream()
        .map(t -> new Mount("/dev/" + volumeGroup + "/" + t.name(), t.mountPoint(), t.fstabByUuid()))
        .toList();
  }

  /** lvcreate --thin-pool settings. {@code zero=false} is {@code --zero n}, as everyone does for bricks. */
  public record ThinPool(String name, PoolSize size, Optional<Size> metadataSize, Optional<Size> chunkSize,
      boolean zero, Optional<Autoextend> autoextend) {
    public static final String DEFAULT_NAME = "thinpool";
    public static final PoolSize DEFAULT_SIZE = new PercentSize(100, PercentSize.Base.FREE);
  }

  /** LVM thin_pool_autoextend_threshold / thin_pool_autoextend_percent, per pool. */
  public record Autoextend(int threshold, int percent) {}

  /** One brick filesystem: a thin LV, formatted XFS, mounted at {@code mountPoint}. */
  public record ThinVolume(String name, Size virtualSize, String mountPoint, boolean fstabByUuid) {}
}
