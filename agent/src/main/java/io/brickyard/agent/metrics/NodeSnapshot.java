package io.brickyard.agent.metrics;

import java.util.List;
import java.util.Map;

/**
 * What the node looked like at one read, in the units the metrics carry (bytes, counts). A source
 * that could not be read is absent from {@code readOk}'s true entries and contributes no rows:
 * Prometheus then shows a gap, never a stale or made-up value.
 */
record NodeSnapshot(List<ThinPool> thinPools, List<VolumeGroup> vgs, List<BrickFs> bricks,
    Map<String, Boolean> services, List<Vip> vips, Map<String, Boolean> readOk) {

  /** A thin pool's data and metadata space, in bytes. */
  record ThinPool(String vg, String pool, double dataTotal, double dataUsed, double metadataTotal, double metadataUsed) {}

  record VolumeGroup(String vg, long size, long free) {}

  /**
   * A filesystem Brickyard mounts for bricks (its fstab line carries the ownership marker). Sizes
   * are -1 when it is not mounted: the mount point's numbers would be the parent filesystem's.
   */
  record BrickFs(String mountPoint, boolean mounted, long size, long used, long avail, long inodes, long inodesFree) {}

  record Vip(String address, String iface) {}
}
