package io.brickyard.common.nfs;

import java.nio.file.Path;

/**
 * Where NFSv4 client records live on the shared recovery store (docs/nfs.md, "Recovery records"):
 * the one definition the agent (which makes the directories and links) and the coordinator (which
 * gives ganesha its RecoveryRoot) share.
 *
 * <p>Ganesha's fs recovery backend writes this node's records to {@code <RecoveryRoot>/v4recov}
 * and, on grace event 5 for address IP, reads {@code <RecoveryRoot>/<IP>/v4recov}. So each node's
 * RecoveryRoot is {@code <store>/nodes/<node>}, and {@code <store>/nodes/<node>/<IP>} is a link to
 * {@code ../<holder>}, the node whose records hold IP's clients.
 */
public final class RecoveryLayout {
  static final String NODES = "nodes";

  private RecoveryLayout() {}

  /** A node's RecoveryRoot on the store mounted at {@code mountPoint}. */
  public static Path nodeRoot(Path mountPoint, String node) {
    return mountPoint.resolve(NODES).resolve(node);
  }

  /** The takeover link a node reads for {@code address}. */
  public static Path takeoverLink(Path mountPoint, String node, String address) {
    return nodeRoot(mountPoint, node).resolve(address);
  }

  /** The link's target, relative so that it resolves on every node whatever the mount point: {@code ../<holder>}. */
  public static Path takeoverTarget(String holderNode) {
    return Path.of("..", holderNode);
  }
}
