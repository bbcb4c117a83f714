package io.brickyard.cli.apply;

import io.brickyard.api.coordinator.v1.StepEvent;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live apply progress. For a terminal: finished steps scroll, and a block at the bottom shows what
 * each node is doing right now, redrawn in place. For pipes and logs: one plain line per event.
 */
public abstract class Progress {
  final PrintWriter out;

  Progress(PrintWriter out) {
    this.out = out;
  }

  public static Progress forOutput(PrintWriter out, boolean tty) {
    return tty ? new Tty(out) : new Plain(out);
  }

  public abstract void event(StepEvent e);

  /** Clears any live block before the summary. */
  public void finish() {
  }

  static String line(StepEvent e) {
    String state = switch (e.getState()) {
      case CHANGED -> "changed  ";
      case UNCHANGED -> "unchanged";
      case FAILED -> "FAILED   ";
      case SKIPPED -> "skipped  ";
      case STARTED -> "started  ";
      case PROGRESS -> "running  ";
      default -> e.getState().name();
    };
    String t = e.getElapsedMillis() > 0 ? String.format(" (%.1fs)", e.getElapsedMillis() / 1000.0) : "";
    return String.format("%-9s %s %s%s%s", e.getNode(), state, e.getDescription(), t,
        e.getMessage().isEmpty() ? "" : ": " + e.getMessage());
  }

  static final class Plain extends Progress {
    Plain(PrintWriter out) {
      super(out);
    }

    @Override
    public void event(StepEvent e) {
      out.println(line(e));
      if (e.getState() == StepEvent.State.FAILED && e.hasResult()) {
        e.getResult().getCommandsList().forEach(c -> out.println("    $ " + String.join(" ", c.getArgvList())));
      }
      out.flush();
    }
  }

  /**
   * The running block lists steps, not nodes: one node runs one step at a time, but cluster-wide
   * steps (volumes, virtual IP moves) run side by side, and keyed by node the second would hide the
   * first and the first's end would erase the line of the second, still running.
   */
  static final class Tty extends Progress {
    /** Step id to "node: description", in start order. */
    private final Map<String, String> running = new LinkedHashMap<>();
    private int drawn;

    Tty(PrintWriter out) {
      super(out);
    }

    @Override
    public void event(StepEvent e) {
      clear();
      if (e.getState() == StepEvent.State.STARTED) {
        running.put(key(e), e.getNode() + ": " + e.getDescription());
      } else if (e.getState() == StepEvent.State.PROGRESS) {
        // redrawn in place: the running step's line carries how far it got
        running.put(key(e), e.getNode() + ": " + e.getDescription() + ": " + e.getMessage()
            + String.format(" (%.0fs)", e.getElapsedMillis() / 1000.0));
      } else {
        running.remove(key(e));
        String color = switch (e.getState()) {
          case CHANGED -> "\u001b[33m";
          case UNCHANGED -> "\u001b[32m";
          case FAILED -> "\u001b[31;1m";
          default -> "\u001b[2m";
        };
        out.println(color + line(e) + "\u001b[0m");
      }
      for (String r : running.values()) {
        out.println("\u001b[36m  ... " + r + "\u001b[0m");
      }
      drawn = running.size();
      out.flush();
    }

    /** The step id; a coordinator that sent none gets the node's (one running step per node, as before). */
    private static String key(StepEvent e) {
      return e.getStepId().isEmpty() ? "node:" + e.getNode() : e.getStepId();
    }

    private void clear() {
      for (int i = 0; i < drawn; i++) {
        out.print("\u001b[1A\u001b[2K");
      }
      drawn = 0;
    }

    @Override
    public void finish() {
      clear();
      out.flush();
    }
  }
}
