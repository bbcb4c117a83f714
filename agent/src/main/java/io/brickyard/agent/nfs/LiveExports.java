package io.brickyard.agent.nfs;

import io.brickyard.agent.op.Operation;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandResult;
import java.util.List;
import java.util.Optional;

/**
 * What a running ganesha serves right now (ShowExports), or that it is not running: then the
 * export files alone are the state, and ganesha loads them when it starts.
 */
record LiveExports(boolean running, List<GaneshaBus.Live> exports) {

  static LiveExports read(Operation op) {
    CommandResult r = op.read(GaneshaBus.exportCall("ShowExports"));
    if (GaneshaBus.notOnBus(r)) {
      return new LiveExports(false, List.of());
    }
    if (!r.ok()) {
      throw new CommandFailedException(r);
    }
    return new LiveExports(true, GaneshaBus.parseShowExports(r.stdout()));
  }

  Optional<GaneshaBus.Live> withId(int id) {
    return exports.stream().filter(l -> l.id() == id).findFirst();
  }

  Optional<GaneshaBus.Live> withPath(String pseudo) {
    return exports.stream().filter(l -> l.path().equals(pseudo)).findFirst();
  }
}
