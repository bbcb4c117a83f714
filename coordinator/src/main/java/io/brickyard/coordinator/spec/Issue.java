package io.brickyard.coordinator.spec;

import java.util.Objects;

/**
 * One problem found in a cluster spec, addressed by a field path such as {@code volumes[1].bricks[2]}
 * so that an admin can find it without line numbers. Warnings never stop a run; errors stop it
 * before anything touches a node.
 */
public record Issue(String path, String message, boolean warning) {
  /** Path used for problems of the YAML text itself (syntax, duplicate keys, several documents). */
  public static final String DOCUMENT = "<yaml>";

  public Issue {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  public static Issue error(String path, String message) {
    return new Issue(path, message, false);
  }

  public static Issue warning(String path, String message) {
    return new Issue(path, message, true);
  }

  public boolean isError() {
    return !warning;
  }

  /** {@code error: volumes[0].bricks: brick count 3 is not a multiple of replica 2}. */
  @Override
  public String toString() {
    return (warning ? "warning: " : "error: ") + path + ": " + message;
  }
}
