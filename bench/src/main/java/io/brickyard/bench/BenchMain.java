package io.brickyard.bench;

import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import io.brickyard.common.tls.TlsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of scripts/bench.sh. Creates a throwaway cluster CA (node + admin certificates) in
 * the work directory, then runs the startup and/or overhead benchmarks against the real agent jar.
 *
 * <p>Usage: {@code BenchMain startup|overhead|all --agent-jar J --java-opts "..." --work DIR
 * [--runs 10] [--calls 200] [--device /dev/X] [--fork-script scripts/bench-fork.sh]}
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    Path jar = Path.of(opt(args, "--agent-jar", "agent/target/brickyard-agent.jar"));
    List<String> flags = Arrays.stream(opt(args, "--java-opts", "").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    Path work = Path.of(opt(args, "--work", Files.createTempDirectory("brickyard-bench").toString()));
    int runs = Integer.parseInt(opt(args, "--runs", "10"));
    int calls = Integer.parseInt(opt(args, "--calls", "200"));
    TlsFiles client = certs(work.resolve("tls"));
    machine();
    if (what.equals("startup") || what.equals("all")) {
      new StartupBench(jar, flags, work, client, System.out).run(runs);
    }
    if (what.equals("overhead") || what.equals("all")) {
      new OverheadBench(jar, flags, work, client, System.out)
          .run(opt(args, "--device", "/dev/loop0"), calls, Path.of(opt(args, "--fork-script", "scripts/bench-fork.sh")));
    }
    System.out.printf("%nload average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
  }

  private static TlsFiles certs(Path dir) throws IOException {
    if (!Files.exists(dir.resolve("ca.crt"))) {
      CertAuthority ca = CertAuthority.init(dir, "bench", Duration.ofDays(1));
      ca.issue(dir, "node", Role.NODE, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
      ca.issue(dir, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
    }
    return TlsFiles.inDir(dir, "admin").check();
  }

  private static void machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
    System.out.printf("machine: %d cores (%s), %s MB RAM, load average %s%n", Runtime.getRuntime().availableProcessors(),
        cpu, Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "").replaceAll("\\d{3}$", ""),
        Files.readString(Path.of("/proc/loadavg")).strip());
    System.out.printf("JDK: %s %s (%s)%n", System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
        ProcessHandle.current().info().command().orElse("java"));
    System.out.flush();
  }

  private static String opt(String[] args, String name, String def) {
    for (int i = 1; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return def;
  }
}
