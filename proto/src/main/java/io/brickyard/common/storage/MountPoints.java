package io.brickyard.common.storage;

import java.util.List;
import java.util.Optional;

/**
 * Where a brick filesystem may be mounted. One rule, read by the spec validator (so a bad spec
 * stops with exit 2 and the field path) and by the agent (which checks every request again, also
 * on the path with symlinks resolved).
 *
 * <p>Why: a mount hides whatever the directory held. {@code mountPoint: /var/lib/glusterd} would
 * hide glusterd's state (peers, volumes) and {@code /etc} the node's configuration, and a mount
 * under {@code /proc}, {@code /sys}, {@code /dev} or {@code /run} lands on a pseudo filesystem that
 * is rebuilt at boot. So a mount point is refused when it is
 * <ul>
 *   <li>one of {@link #SYSTEM_DIRECTORIES} itself (a mount below them, e.g.
 *       {@code /var/lib/bricks/b1} or {@code /srv/gluster/b1}, is fine), or</li>
 *   <li>inside one of {@link #SYSTEM_TREES} (no brick belongs anywhere in them).</li>
 * </ul>
 * The agent also refuses a non-empty directory that is not already that device's mount.
 */
public final class MountPoints {
  /** Refused as the mount point itself: mounting there hides a directory the system needs. */
  public static final List<String> SYSTEM_DIRECTORIES = List.of("/", "/home", "/root", "/srv", "/opt", "/mnt",
      "/media", "/tmp", "/var", "/var/lib", "/var/log", "/var/cache", "/var/spool", "/var/tmp", "/var/mail",
      "/var/opt", "/var/backups", "/var/local", "/lost+found");

  /** Refused as the mount point and anywhere below. */
  public static final List<String> SYSTEM_TREES = List.of("/proc", "/sys", "/dev", "/run", "/boot", "/etc",
      "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/var/run", "/var/lock",
      "/var/lib/glusterd", "/var/lib/brickyard", "/var/lib/nfs", "/var/lib/dpkg", "/var/lib/rpm");

  /**
   * The options a brick filesystem is mounted with unless the spec says otherwise. {@code nofail}:
   * one dead brick disk must not stop the node's boot in emergency mode (the brick is
   * {@code <mountPoint>/brick}, absent from the empty directory below, so its glusterfsd fails
   * instead of writing to the root filesystem). {@code nosuid,nodev}: a brick holds clients'
   * files; none of them is a setuid program or a device node for this host. {@code nouuid}: thin
   * snapshots share their origin's XFS UUID. {@code inode64}: inodes anywhere on a large disk.
   */
  public static final List<String> DEFAULT_OPTIONS =
      List.of("rw", "noatime", "nouuid", "inode64", "nofail", "nosuid", "nodev");

  private MountPoints() {}

  /**
   * Why {@code mountPoint} (absolute, normalized) cannot hold a brick filesystem, or empty when it
   * can.
   */
  public static Optional<String> refusal(String mountPoint) {
    if (SYSTEM_DIRECTORIES.contains(mountPoint)) {
      return Optional.of(mountPoint + " is a system directory; mounting a brick there would hide what it"
          + " holds: use a directory below it, e.g. " + (mountPoint.equals("/") ? "" : mountPoint)
          + "/gluster/<volume>/brick1");
    }
    for (String tree : SYSTEM_TREES) {
      if (mountPoint.equals(tree) || mountPoint.startsWith(tree + "/")) {
        return Optional.of(mountPoint + (mountPoint.equals(tree) ? " is" : " is inside " + tree + ",")
            + " a system directory no brick belongs in: use e.g. /gluster/<volume>/brick1");
      }
    }
    return Optional.empty();
  }
}
