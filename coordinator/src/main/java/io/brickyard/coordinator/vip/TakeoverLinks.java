package io.brickyard.coordinator.vip;

import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.TakeoverLink;

/**
 * The takeover link a node needs before it takes an address (docs/nfs.md, "Recovery records"): its
 * {@code <store>/nodes/<node>/<ip>} pointing at the records of the node whose clients used the
 * address, so that grace event 5 lets exactly those clients reclaim. One definition for `vip move`
 * ({@link VipMover}) and the failover leader, which both hand an address to a new holder.
 */
public final class TakeoverLinks {
  private TakeoverLinks() {}

  /** Whose client records serve the address: its last holder, or its home when it had none. */
  public static String recordsOf(String lastHolder, String home) {
    return lastHolder == null || lastHolder.isEmpty() ? home : lastHolder;
  }

  /**
   * EnsureRecoveryStore for {@code node} with the one link {@code address -> recordsNode}: the store
   * mounted (a no-op when it is), this node's records directory, the link; other links untouched.
   */
  public static EnsureRecoveryStoreRequest request(String volume, String mountPoint, String node, String address,
      String recordsNode, RequestOptions options) {
    return EnsureRecoveryStoreRequest.newBuilder().setOptions(options).setVolume(volume).setMountPoint(mountPoint)
        .setNode(node).addLinks(TakeoverLink.newBuilder().setAddress(address).setHolderNode(recordsNode)).build();
  }

  /** "takeover link 10.0.0.100 -> records of gluster1": the step's name in a move's timeline. */
  public static String describe(String address, String recordsNode) {
    return "takeover link " + address + " -> records of " + recordsNode;
  }
}
