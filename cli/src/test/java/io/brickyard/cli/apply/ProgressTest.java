package io.brickyard.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.coordinator.v1.StepEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  static StepEvent ev(String id, String node, String description, StepEvent.State state) {
    return StepEvent.newBuilder().setStepId(id).setNode(node).setDescription(description).setState(state).build();
  }

  /** What the terminal shows after everything printed so far: each "cursor up, erase line" removes the line above. */
  static String screen(String raw) {
    StringBuilder screen = new StringBuilder();
    for (String part : raw.split("\u001b\\[1A\u001b\\[2K", -1)) {
      if (screen.length() > 0) { // erase the last complete line
        int end = screen.length() - 1;
        int start = screen.lastIndexOf("\n", end - 1) + 1;
        screen.setLength(start);
      }
      screen.append(part);
    }
    return screen.toString().replaceAll("\u001b\\[[0-9;]*m", "");
  }

  /**
   * Two cluster-wide steps (two VIP moves) run side by side: both are in the live block, and the
   * end of the first leaves the second there.
   */
  @Test
  void theLiveBlockKeepsEveryRunningStepOfOneNode() {
    StringWriter w = new StringWriter();
    Progress p = Progress.forOutput(new PrintWriter(w, true), true);
    p.event(ev("cluster/vip-move:10.77.0.201", "cluster", "move 10.77.0.201 -> gluster1", StepEvent.State.STARTED));
    p.event(ev("cluster/vip-move:10.77.0.202", "cluster", "move 10.77.0.202 -> gluster2", StepEvent.State.STARTED));
    p.event(ev("gluster1/nfs/export:/vol1", "gluster1", "export /vol1 (id 1)", StepEvent.State.STARTED));
    assertThat(screen(w.toString())).isEqualTo("""
          ... cluster: move 10.77.0.201 -> gluster1
          ... cluster: move 10.77.0.202 -> gluster2
          ... gluster1: export /vol1 (id 1)
        """);
    p.event(ev("cluster/vip-move:10.77.0.201", "cluster", "move 10.77.0.201 -> gluster1", StepEvent.State.CHANGED));
    assertThat(screen(w.toString())).isEqualTo("""
        cluster   changed   move 10.77.0.201 -> gluster1
          ... cluster: move 10.77.0.202 -> gluster2
          ... gluster1: export /vol1 (id 1)
        """);
    p.event(ev("gluster1/nfs/export:/vol1", "gluster1", "export /vol1 (id 1)", StepEvent.State.UNCHANGED));
    p.event(ev("cluster/vip-move:10.77.0.202", "cluster", "move 10.77.0.202 -> gluster2", StepEvent.State.FAILED));
    p.finish();
    assertThat(screen(w.toString())).isEqualTo("""
        cluster   changed   move 10.77.0.201 -> gluster1
        gluster1  unchanged export /vol1 (id 1)
        cluster   FAILED    move 10.77.0.202 -> gluster2
        """);
  }
}
