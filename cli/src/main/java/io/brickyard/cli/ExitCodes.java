package io.brickyard.cli;

/** The CLI's contract with scripts. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The operation failed (a node unreachable, a step failed, the cluster refused). */
  public static final int FAILURE = 1;
  /** Bad input: usage, invalid spec, unknown node, missing or unreadable certificates. */
  public static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
