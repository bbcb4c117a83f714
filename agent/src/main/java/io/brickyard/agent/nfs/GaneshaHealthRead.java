package io.brickyard.agent.nfs;

import io.brickyard.agent.dbus.Busctl;
import io.brickyard.agent.op.Operation;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.common.exec.CommandResult;
import java.util.List;

/**
 * Ganesha's health from its own D-Bus answers: up when admin.get_grace answers (the same threads
 * serve NFS), in grace or not, and the live exports from ShowExports. Two busctl calls of a few
 * ms each, one when ganesha is down: cheap enough for a check every second.
 */
public final class GaneshaHealthRead {
  private GaneshaHealthRead() {}

  /**
   * Never throws for what ganesha answers (facts must not fail because of it): a reply that cannot
   * be read is reported in {@code detail}.
   */
  public static GaneshaHealth read(Operation op) {
    GaneshaBus bus = new GaneshaBus(op);
    CommandResult grace = bus.readGrace();
    if (!grace.ok()) {
      return GaneshaHealth.newBuilder().setUp(false).setDetail(whyDown(grace)).build();
    }
    GaneshaHealth.Builder h = GaneshaHealth.newBuilder().setUp(true);
    try {
      h.setInGrace(GaneshaBus.parseGetGrace(grace.stdout()).inGrace());
    } catch (RuntimeException e) {
      return h.setDetail("unreadable get_grace reply: " + e.getMessage()).build();
    }
    CommandResult show = op.read(GaneshaBus.exportCall("ShowExports"));
    if (!show.ok()) {
      return h.setDetail("ShowExports failed: " + firstLine(show)).build();
    }
    try {
      for (GaneshaBus.Live l : GaneshaBus.parseShowExports(show.stdout())) {
        if (l.id() != 0) {
          h.addExports(LiveExport.newBuilder().setExportId(l.id()).setPseudoPath(l.path()));
        }
      }
    } catch (RuntimeException e) {
      return h.clearExports().setDetail("unreadable ShowExports reply: " + e.getMessage()).build();
    }
    return h.build();
  }

  /** One line for a failed get_grace: the common causes named, anything else as busctl said it. */
  static String whyDown(CommandResult r) {
    if (r.timedOut()) {
      return "ganesha did not answer on D-Bus within " + r.command().timeout().toSeconds() + " s (hung?)";
    }
    if (r.exitCode() == Busctl.NOT_INSTALLED) {
      return "busctl is not installed: cannot ask ganesha";
    }
    if (GaneshaBus.notOnBus(r)) {
      return "ganesha is not on the system bus (not running)";
    }
    return "D-Bus get_grace failed: " + firstLine(r);
  }

  private static String firstLine(CommandResult r) {
    if (r.timedOut()) {
      return "no answer within " + r.command().timeout().toSeconds() + " s";
    }
    List<String> lines = r.stderr().strip().lines().toList();
    return lines.isEmpty() ? "exit " + r.exitCode() : lines.get(0);
  }
}
