package io.brickyard.coordinator.spec;

/**
 * A brick as written in the spec, {@code gluster1:/gluster/vol1/brick1/brick}. {@code host} names a
 * node (its name or glusterAddress); the coordinator hands gluster the node's glusterAddress.
 */
public record Brick(String host, String path) {
  /** Parses "host:/abs/path"; throws IllegalArgumentException with the expected form. */
  public static Brick parse(String text) {
    int c = text.indexOf(':');
    if (c <= 0 || c == text.length() - 1 || text.charAt(c + 1) != '/') {
      throw new IllegalArgumentException("'" + text
          + "' is not a brick: expected <node>:<absolute path>, e.g. gluster1:/gluster/vol1/brick1/brick");
    }
    return new Brick(text.substring(0, c), text.substring(c + 1));
  }

  @Override
  public String toString() {
    return host + ":" + path;
  }
}
