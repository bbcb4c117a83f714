package io.brickyard.common.nfs;

/** Limits of the NFS service that the spec's checks and the agents both enforce. */
public final class NfsLimits {
  /**
   * The most NFS nodes: each ganesha's epoch ends in its node's two-digit place in nfs.nodes, so that
   * no two nodes hand out the same NFSv4 client ids (the agent's GaneshaEpoch, docs/ha.md).
   */
  public static final int MAX_NODES = 99;

  private NfsLimits() {}
}
