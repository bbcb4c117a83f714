package io.brickyard.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program (argv, never a shell string) for the package tiers and keeps what it said. */
record Run(List<String> argv, int code, String out, String err) {
  static Run of(Map<String, String> env, Path dir, long timeoutSeconds, List<String> argv) {
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
      pb.environment().putAll(env);
      Path out = Files.createTempFile("run", ".out");
      Path err = Files.createTempFile("run", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + argv);
      }
      Run r = new Run(argv, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Run of(String... argv) {
    return of(Map.of(), Path.of("").toAbsolutePath(), 120, List.of(argv));
  }

  /** This run, or an AssertionError with its argv, exit code and output. */
  Run ok() {
    if (code != 0) {
      throw new AssertionError(this.describe());
    }
    return this;
  }

  String describe() {
    return argv + " exited " + code + "\nstdout: " + out + "\nstderr: " + err;
  }

  /** True if an executable {@code program} is in a directory of PATH (what a command's argv[0] resolves through). */
  static boolean has(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return java.util.Arrays.stream(path.split(":")).filter(d -> !d.isEmpty())
        .anyMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, program)));
  }
}
