package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Test helper around a real `brickyard lab`: brings it up and down through the CLI, and runs
 * commands inside a lab host with nsenter (an argv list, like `brickyard lab exec`) to observe the
 * hosts independently of Brickyard's own agents.
 */
public final class LabHarness {
  public static final Path LAB = Path.of("/var/lib/brickyard-lab-test");
  private static final Path NS = Path.of("/run/brickyard-lab/ns");

  private LabHarness() {}

  public static void up(int nodes) {
    CliRun r = CliRun.of("lab", "--lab-dir", LAB.toString(), "up", "--nodes", Integer.toString(nodes));
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  public static void down() {
    CliRun r = CliRun.of("lab", "--lab-dir", LAB.toString(), "down");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  /** Output of a command run inside a lab host. */
  public record Exec(int code, String out) {}

  public static Exec exec(String host, String... argv) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--mount=" + NS.resolve(host + ".mnt"),
        "--net=/run/netns/bylab-" + host, "--uts=" + NS.resolve(host + ".uts"), "--"));
    cmd.addAll(List.of(argv));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("command timed out: " + cmd).isTrue();
    return new Exec(p.exitValue(), out);
  }

  public static long labPid(String key) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(LAB.resolve("lab.properties"))) {
      p.load(r);
    }
    return Long.parseLong(p.getProperty(key));
  }

  /** Replaces a pid in the lab state (a daemon the test started again), so that lab down stops it. */
  public static void recordLabPid(String key, long pid) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(LAB.resolve("lab.properties"))) {
      p.load(r);
    }
    p.setProperty(key, Long.toString(pid));
    try (var w = Files.newBufferedWriter(LAB.resolve("lab.properties"))) {
      p.store(w, "brickyard lab state");
    }
  }

  /** A process's argv, from /proc (to start a daemon again as it was started). */
  public static List<String> cmdline(long pid) throws Exception {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
    List<String> argv = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return argv;
  }

  /** The pids in a network namespace ({@code ip netns pids}). */
  public static List<Long> netnsPids(String netns) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "pids", netns).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines().map(String::strip).filter(l -> l.matches("[0-9]+")).map(Long::parseLong).toList();
  }

  /** The pid of a unit the agent's lab backend runs in a host. */
  public static long unitPid(String host, String unit) throws Exception {
    return Long.parseLong(Files.readString(LAB.resolve("hosts").resolve(host).resolve("fs/run/brickyard/lab-units")
        .resolve(unit + ".pid")).strip());
  }

  public static void kill(long pid, boolean force) throws Exception {
    ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
    if (force) {
      h.destroyForcibly();
    } else {
      h.destroy();
    }
    h.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Where a path of a lab host's private directories (/mnt, /var/lib/brickyard, ...) lives on this machine. */
  public static Path hostPath(String host, String path) {
    return LAB.resolve("hosts").resolve(host).resolve("fs" + path);
  }

  public static Path example(String name) {
    Path p = Path.of("..", "examples", name);
    assertThat(p).exists();
    return p;
  }
}
