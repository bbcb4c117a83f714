package io.brickyard.common.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way Brickyard runs a program: {@link ProcessBuilder} with an argv list, a timeout that
 * kills the whole process tree, stdout/stderr captured, and every run logged with its duration.
 *
 * <p>Programs that daemonize (glusterd without -N, dbus-daemon --fork) keep the output pipes open
 * in their children; never run those through here, use {@link Daemons} instead.
 */
public final class ProcessRunner implements CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);
  private static final long MAX_CAPTURE = 16L * 1024 * 1024;

  private final List<Consumer<CommandResult>> listeners = new ArrayList<>();

  /** Called after every command, e.g. to record a per-command latency metric. */
  public ProcessRunner addListener(Consumer<CommandResult> listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public CommandResult run(Command command) {
    long start = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    pb.environment().put("LC_ALL", "C");
    pb.environment().putAll(command.env());
    if (command.stdin() == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      CommandResult r = new CommandResult(command, 127, "", "cannot execute: " + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - start), false);
      finish(r);
      return r;
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    if (command.stdin() != null) {
      try (OutputStream os = p.getOutputStream()) {
        os.write(command.stdin().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        log.debug("stdin of {} closed early: {}", command.argv().get(0), e.getMessage());
      }
    }
    boolean timedOut = false;
    try {
      if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      timedOut = true;
    }
    String stdout = join(out);
    String stderr = join(err);
    int code = p.isAlive() ? -1 : p.exitValue();
    CommandResult r = new CommandResult(command, code, stdout, stderr,
        Duration.ofNanos(System.nanoTime() - start), timedOut);
    finish(r);
    return r;
  }

  private void finish(CommandResult r) {
    if (r.ok()) {
      log.debug("ran {} in {} ms", r.command().display(), r.duration().toMillis());
    } else {
      log.info("ran {} in {} ms: {}", r.command().display(), r.duration().toMillis(),
          r.timedOut() ? "TIMED OUT" : "exit " + r.exitCode());
    }
    for (Consumer<CommandResult> l : listeners) {
      l.accept(r);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          if (buf.size() < MAX_CAPTURE) {
            buf.write(chunk, 0, n);
          }
        }
      } catch (IOException e) {
        // stream closed when the process was killed
      }
      return buf.toString(StandardCharsets.UTF_8);
    }, DRAIN_POOL);
  }

  private static String join(CompletableFuture<String> f) {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static final java.util.concurrent.ExecutorService DRAIN_POOL =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "process-drain");
        t.setDaemon(true);
        return t;
      });
}
