package io.brickyard.cli;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.common.net.LocalSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A coordinator service implemented by the test, served on a Unix socket in a temporary directory,
 * so the real CLI (argument parsing, channel, stub, error mapping, exit code) runs against it as
 * against the coordinator's local admin socket. The requests it received are the test's to check.
 */
public final class FakeCoordinator implements AutoCloseable {
  private final LocalSocket.Listener listener;

  private FakeCoordinator(LocalSocket.Listener listener) {
    this.listener = listener;
  }

  /** Serves {@code impl} at {@code dir}/sock/coordinator.sock ({@code dir} must be the test's own, e.g. a @TempDir). */
  public static FakeCoordinator serve(Path dir, CoordinatorServiceGrpc.CoordinatorServiceImplBase impl) throws IOException {
    return new FakeCoordinator(LocalSocket.listen(dir.resolve("sock").resolve("coordinator.sock"), List.of(impl.bindService())));
  }

  public String target() {
    return "unix:" + listener.path();
  }

  /** Runs the CLI with {@code args} and {@code --coordinator unix:<this socket>} appended. */
  public CliRun run(String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    argv.add("--coordinator");
    argv.add(target());
    return CliRun.of(argv.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    listener.close();
  }
}
