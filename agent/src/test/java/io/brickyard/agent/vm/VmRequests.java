package io.brickyard.agent.vm;

import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.EnsureThinPoolRequest;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.EnsureVolumeGroupRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.ExtendLogicalVolumeRequest;
import io.brickyard.api.agent.v1.RemoveLogicalVolumeRequest;
import io.brickyard.api.agent.v1.RemoveMountRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import java.util.List;

/** The requests {@link VmScenario} sends, built the way the recipe states them. */
final class VmRequests {
  private VmRequests() {}

  static EnsurePhysicalVolumeRequest pv(String dev, boolean wipe) {
    return EnsurePhysicalVolumeRequest.newBuilder().setDevice(dev).setWipe(wipe).build();
  }

  /** A real request bound to the device digest a dry run reported, as the coordinator sends it. */
  static EnsurePhysicalVolumeRequest pv(String dev, boolean wipe, String expectedDigest) {
    return pv(dev, wipe).toBuilder()
        .setOptions(RequestOptions.newBuilder().setExpectedDeviceDigest(expectedDigest)).build();
  }

  /** The planner's dry run of a wipe: shows the device and its digest. */
  static EnsurePhysicalVolumeRequest pvPlan(String dev) {
    return pv(dev, true).toBuilder().setOptions(RequestOptions.newBuilder().setDryRun(true)).build();
  }

  static EnsureVolumeGroupRequest vg(String name, String... devs) {
    return EnsureVolumeGroupRequest.newBuilder().setName(name).addAllDevices(List.of(devs)).build();
  }

  /** Thin pool over 100%FREE with --zero n; autoextend 0/0 leaves LVM's defaults. */
  static EnsureThinPoolRequest pool(String vg, String name, int threshold, int percent) {
    return EnsureThinPoolRequest.newBuilder().setVg(vg).setName(name).setSize("100%FREE").setZero(false)
        .setAutoextendThreshold(threshold).setAutoextendPercent(percent).build();
  }

  static EnsureThinVolumeRequest thin(String vg, String pool, String name, String size, boolean dryRun) {
    return EnsureThinVolumeRequest.newBuilder().setVg(vg).setPool(pool).setName(name).setVirtualSize(size)
        .setOptions(RequestOptions.newBuilder().setDryRun(dryRun)).build();
  }

  static ExtendLogicalVolumeRequest extend(String vg, String name, String size) {
    return ExtendLogicalVolumeRequest.newBuilder().setVg(vg).setName(name).setSize(size).build();
  }

  static RemoveLogicalVolumeRequest removeLv(String vg, String name) {
    return RemoveLogicalVolumeRequest.newBuilder().setVg(vg).setName(name).build();
  }

  /** The recipe's mkfs.xfs -i size=512 -n size=8192, stated explicitly rather than by default. */
  static EnsureXfsRequest xfs(String dev, boolean wipe) {
    return EnsureXfsRequest.newBuilder().setDevice(dev).setWipe(wipe).setInodeSize(512).setNamingSize(8192).build();
  }

  /** No options: the service's brick default rw,noatime,nouuid,inode64,nofail,nosuid,nodev. */
  static EnsureMountRequest mount(String dev, String mountPoint, String... options) {
    return EnsureMountRequest.newBuilder().setDevice(dev).setMountPoint(mountPoint)
        .addAllMountOptions(List.of(options)).build();
  }

  static RemoveMountRequest umount(String mountPoint) {
    return RemoveMountRequest.newBuilder().setMountPoint(mountPoint).build();
  }

  static EnsureBrickDirectoryRequest brickDir(String path) {
    return EnsureBrickDirectoryRequest.newBuilder().setPath(path).build();
  }
}
