package io.brickyard.agent.testlab;

import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: runs every command inside one lab host (its mount and network namespace) by
 * prefixing the argv with {@code nsenter --mount=FILE --net=/run/netns/NAME --}. This lets the
 * real capability code talk to that host's own firewalld (via the host's /run/dbus) and glusterd
 * without running a separate agent process per host.
 */
public final class NsenterRunner implements CommandRunner {
  private final CommandRunner delegate;
  private final List<String> prefix;

  public NsenterRunner(CommandRunner delegate, String mountNsFile, String netns) {
    this.delegate = delegate;
    this.prefix = List.of("nsenter", "--mount=" + mountNsFile, "--net=/run/netns/" + netns, "--");
  }

  /** Network namespace only (the host's own mounts): enough for ip, arping and ping. */
  public NsenterRunner(CommandRunner delegate, String netns) {
    this.delegate = delegate;
    this.prefix = List.of("nsenter", "--net=/run/netns/" + netns, "--");
  }

  public List<String> wrap(List<String> argv) {
    List<String> a = new ArrayList<>(prefix);
    a.addAll(argv);
    return a;
  }

  @Override
  public CommandResult run(Command command) {
    return delegate.run(new Command(wrap(command.argv()), command.timeout(), command.stdin(), command.env()));
  }
}
