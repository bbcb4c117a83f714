package io.brickyard.coordinator.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The NFS service (the spec's {@code nfs:} section): which nodes run NFS-Ganesha, its NFSv4
 * tunables, the exports and the virtual IPs clients mount. Every default is applied by the
 * mapper, so a spec without a value and one spelling the default are the same spec.
 *
 * @param nodes the spec nodes that serve NFS, in spec order (default: every node)
 * @param gracePeriodSeconds NFSv4 Grace_Period, 1..180 (default 90)
 * @param leaseLifetimeSeconds NFSv4 Lease_Lifetime, 1..120 (default 60)
 * @param minorVersions NFSv4 minor versions served, each 0..2 (default 0, 1, 2)
 * @param recovery where the NFSv4 client records live, shared by every NFS node
 * @param exports the exports, in spec order
 * @param vips the virtual IPs, in spec order
 */
public record NfsSpec(List<String> nodes, int gracePeriodSeconds, int leaseLifetimeSeconds,
    List<Integer> minorVersions, Recovery recovery, List<ExportSpec> exports, List<VipSpec> vips) {
  public static final int DEFAULT_GRACE_SECONDS = 90;
  public static final int DEFAULT_LEASE_SECONDS = 60;
  public static final List<Integer> DEFAULT_MINOR_VERSIONS = List.of(0, 1, 2);

  public NfsSpec {
    nodes = List.copyOf(nodes);
    minorVersions = List.copyOf(minorVersions);
    exports = List.copyOf(exports);
    vips = List.copyOf(vips);
  }

  /** Whether any export is served over NFSv3 (then NLM, mountd and the pinned ports are on). */
  public boolean nfsv3() {
    return exports.stream().anyMatch(e -> e.protocols().contains(3));
  }

  public boolean serves(String node) {
    return nodes.contains(node);
  }

  public Optional<ExportSpec> export(String pseudoPath) {
    return exports.stream().filter(e -> e.pseudoPath().equals(pseudoPath)).findFirst();
  }

  /**
   * The small replicated gluster volume holding every NFS node's NFSv4 client records (as gluster's
   * {@code gluster_shared_storage} does for ganesha-ha), mounted on each NFS node: docs/nfs.md.
   *
   * @param volume its gluster name (default {@value #DEFAULT_VOLUME})
   * @param brickDirectory its brick on each NFS node, on the root filesystem (default {@value #DEFAULT_BRICK})
   * @param mountPoint where each NFS node mounts it (default {@value #DEFAULT_MOUNT})
   */
  public record Recovery(String volume, Path brickDirectory, Path mountPoint) {
    public static final String DEFAULT_VOLUME = "brickyard-nfs-state";
    public static final String DEFAULT_BRICK = "/var/lib/brickyard/nfs-state-brick";
    public static final String DEFAULT_MOUNT = "/var/lib/brickyard/nfs-state";

    public static Recovery defaults() {
      return new Recovery(DEFAULT_VOLUME, Path.of(DEFAULT_BRICK), Path.of(DEFAULT_MOUNT));
    }
  }
}
