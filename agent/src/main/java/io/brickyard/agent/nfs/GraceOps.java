package io.brickyard.agent.nfs;

import io.brickyard.common.net.Cidr;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.GraceResult;
import io.brickyard.common.exec.CommandResult;

/**
 * Grace events for an address moving between nodes (admin.grace "EVENT:IP", the form CTDB's
 * ganesha callout sends): 5 when this node takes the address (ganesha reads the clients recorded
 * under {@code <RecoveryRoot>/<IP>/v4recov} and lets them reclaim), 2 when it releases it. An event
 * is not a state to converge to: every call sends it and starts a grace period, so it always
 * reports changed; the check is that ganesha runs.
 */
public final class GraceOps {
  /** nfs-ganesha's sal_data.h: EVENT_RELEASE_IP. */
  static final int RELEASE_IP = 2;
  /** nfs-ganesha's sal_data.h: EVENT_TAKE_IP. */
  static final int TAKE_IP = 5;

  public GraceResult grace(Operation op, GraceRequest req) {
    int event = switch (req.getEvent()) {
      case GRACE_EVENT_TAKE_ADDRESS -> TAKE_IP;
      case GRACE_EVENT_RELEASE_ADDRESS -> RELEASE_IP;
      default -> throw new IllegalArgumentException("event: GRACE_EVENT_TAKE_ADDRESS or GRACE_EVENT_RELEASE_ADDRESS "
          + "is required, got " + req.getEvent());
    };
    String address = address(req.getAddress());
    GaneshaBus bus = new GaneshaBus(op);
    CommandResult before = bus.readGrace();
    if (!before.ok()) {
      throw new RefusedException("cannot send a grace event: " + GaneshaHealthRead.whyDown(before));
    }
    bus.grace(event, address);
    GraceResult.Builder r = GraceResult.newBuilder();
    if (!op.dryRun()) {
      r.setInGrace(GaneshaBus.parseGetGrace(op.readChecked(GaneshaBus.adminCall("get_grace")).stdout()).inGrace());
    }
    String what = (event == TAKE_IP ? "take" : "release") + " address " + address;
    return r.setResult(op.done("grace event " + event + ":" + address + " (" + what + ") sent"
        + (op.dryRun() ? "" : r.getInGrace() ? "; ganesha in grace" : "; ganesha not in grace"))).build();
  }

  /** One IPv4 or IPv6 address, no prefix: it becomes a directory name in ganesha's recovery path. */
  static String address(String raw) {
    if (!raw.equals(raw.strip())) {
      throw new IllegalArgumentException("address: '" + PseudoPath.printable(raw) + "' has leading or trailing blanks");
    }
    if (raw.contains("/")) {
      throw new IllegalArgumentException("address: '" + PseudoPath.printable(raw) + "' must be an address, not a network");
    }
    return Cidr.parseSource("address", raw).text();
  }
}
