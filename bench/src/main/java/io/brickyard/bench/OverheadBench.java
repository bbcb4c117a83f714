package io.brickyard.bench;

import io.brickyard.agent.storage.Blkid;
import io.brickyard.agent.storage.MountTable;
import io.brickyard.api.agent.v1.GetFilesystemRequest;
import io.brickyard.api.agent.v1.StorageServiceGrpc;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.ProcessRunner;
import io.brickyard.common.tls.TlsFiles;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the agent adds to one read operation. StorageService.GetFilesystem runs two commands
 * ({@code blkid -p} on the device, {@code findmnt --json} for its mount points); it is compared,
 * over loopback mTLS, with the very same two {@link Command}s run in-process through
 * {@link ProcessRunner}, and with fork/exec of the same argv from bash. A health Check (no
 * command) isolates the transport. The four kinds are interleaved call by call, after a warm-up,
 * so a load spike from other processes hits all of them alike.
 */
final class OverheadBench {
  private static final int WARMUP = 50;
  private final Path jar;
  private final List<String> flags;
  private final Path work;
  private final TlsFiles client;
  private final PrintStream out;

  OverheadBench(Path jar, List<String> flags, Path work, TlsFiles client, PrintStream out) {
    this.jar = jar;
    this.flags = flags;
    this.work = work;
    this.client = client;
    this.out = out;
  }

  void run(String device, int n, Path forkScript) throws IOException, InterruptedException {
    long[] health = new long[n];
    long[] rpc = new long[n];
    long[] inProcess = new long[n];
    long[] shell = new long[n];
    Command blkid = Blkid.probe(device);
    Command findmnt = MountTable.all();
    List<String> forkArgv = new ArrayList<>(List.of("bash", forkScript.toString(), "1"));
    forkArgv.addAll(blkid.argv());
    forkArgv.add("--");
    forkArgv.addAll(findmnt.argv());
    ProcessRunner runner = new ProcessRunner();
    try (AgentProcess a = AgentProcess.start(jar, flags, client.caCert().getParent(), work, "overhead")) {
      a.awaitServing(client);
      var hs = HealthGrpc.newBlockingStub(a.channel());
      var ss = StorageServiceGrpc.newBlockingStub(a.channel());
      GetFilesystemRequest req = GetFilesystemRequest.newBuilder().setDevice(device).build();
      String type = ss.getFilesystem(req).getType();
      for (int i = -WARMUP; i < n; i++) {
        long t0 = System.nanoTime();
        hs.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
        long t1 = System.nanoTime();
        ss.withDeadlineAfter(30, TimeUnit.SECONDS).getFilesystem(req);
        long t2 = System.nanoTime();
        check(runner.run(blkid));
        check(runner.run(findmnt));
        long t3 = System.nanoTime();
        long sh = forkOnce(runner, forkArgv);
        if (i >= 0) {
          health[i] = t1 - t0;
          rpc[i] = t2 - t1;
          inProcess[i] = t3 - t2;
          shell[i] = sh;
        }
      }
      out.printf("%n[overhead] GetFilesystem(%s) (filesystem '%s'), agent flags: %s%n  commands: %s ; %s%n",
          device, type, String.join(" ", flags), blkid.display(), findmnt.display());
    }
    Stats h = Stats.of(health);
    Stats g = Stats.of(rpc);
    Stats p = Stats.of(inProcess);
    Stats s = Stats.of(shell);
    out.printf("  Health.Check over mTLS (transport only):   %s%n", h);
    out.printf("  GetFilesystem over mTLS:                    %s%n", g);
    out.printf("  same 2 commands, ProcessRunner in-process:  %s%n", p);
    out.printf("  same 2 commands, fork/exec from bash:       %s%n", s);
    out.printf("  overhead RPC - in-process: median %.1f ms, p90 %.1f ms%n", g.medianMs() - p.medianMs(), g.p90Ms() - p.p90Ms());
    out.printf("  overhead RPC - bash:       median %.1f ms, p90 %.1f ms%n", g.medianMs() - s.medianMs(), g.p90Ms() - s.p90Ms());
    out.flush();
  }

  private static void check(CommandResult r) throws IOException {
    if (!r.ok() && r.exitCode() != 2) {
      throw new IOException(r.failureMessage());
    }
  }

  /** One iteration of scripts/bench-fork.sh: it times the two commands itself (microseconds). */
  private static long forkOnce(ProcessRunner runner, List<String> argv) throws IOException {
    CommandResult r = runner.run(Command.of(argv).withTimeout(Duration.ofMinutes(1)));
    if (!r.ok()) {
      throw new IOException("fork benchmark failed: " + r.failureMessage());
    }
    return Long.parseLong(r.stdout().strip()) * 1000;
  }
}
