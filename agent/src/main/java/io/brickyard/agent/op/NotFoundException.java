package io.brickyard.agent.op;

/**
 * The named object (a snapshot, a volume) does not exist on the node or cluster asked. Maps to
 * NOT_FOUND, so a caller can tell "no such snapshot" from "refused" without reading the text.
 */
public class NotFoundException extends RefusedException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String reason) {
    super(reason);
  }
}
