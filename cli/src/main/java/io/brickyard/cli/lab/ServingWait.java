package io.brickyard.cli.lab;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** How {@code lab up} waits for a daemon it started (an agent, a coordinator) to serve. */
final class ServingWait {
  private ServingWait() {}

  /**
   * Waits up to 60 s for {@code what} to answer SERVING on gRPC health; gives up at once if
   * {@code process} (null: not ours to watch) exits. Either way the error carries the last lines of
   * its log, because the lab directory and its logs are gone after the {@code lab down} that follows
   * a failed {@code up}.
   */
  static void await(ManagedChannel ch, String what, Path log, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new LabException(what + " exited with status " + process.exitValue() + " before serving; "
            + log + " ends with:\n" + tail(log));
      }
      try {
        HealthCheckResponse r = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
        if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
          return;
        }
      } catch (StatusRuntimeException e) {
        last = e.getStatus().getCode() + " " + e.getStatus().getDescription();
      }
      Thread.sleep(100);
    }
    throw new LabException(what + " did not become SERVING within 60 s (" + last + "); " + log + " ends with:\n"
        + tail(log));
  }

  /** The last 30 lines of {@code log}, or why it cannot be read. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
