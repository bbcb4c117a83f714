package io.brickyard.coordinator.spec;

import java.util.Optional;

/**
 * mkfs.xfs options for a brick filesystem. 512-byte inodes leave room for gluster's extended
 * attributes inside the inode and 8192-byte directory blocks speed up large directories: the
 * values heketi, glusterd2 and gluster-ansible all use.
 */
public record MkfsOptions(int inodeSize, int namingSize, Optional<Raid> raid) {
  public static final int DEFAULT_INODE_SIZE = 512;
  public static final int DEFAULT_NAMING_SIZE = 8192;
  public static final MkfsOptions DEFAULTS =
      new MkfsOptions(DEFAULT_INODE_SIZE, DEFAULT_NAMING_SIZE, Optional.empty());

  /** Hardware RAID geometry for {@code mkfs.xfs -d su=<stripeUnit>,sw=<stripeWidth>}. */
  public record Raid(Size stripeUnit, int stripeWidth) {}
}
