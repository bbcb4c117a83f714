package io.brickyard.common.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One external command: an argv list (never a shell string), a timeout, optional stdin and extra
 * environment. Building commands as data is what lets a dry run show exactly what would run and
 * lets tests assert the argv without parsing strings.
 */
public record Command(List<String> argv, Duration timeout, String stdin, Map<String, String> env) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public Command {
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty argv");
    }
    argv = List.copyOf(argv);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    env = env == null ? Map.of() : Map.copyOf(env);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv), DEFAULT_TIMEOUT, null, Map.of());
  }

  public static Command of(List<String> argv) {
    return new Command(argv, DEFAULT_TIMEOUT, null, Map.of());
  }

  public Command withTimeout(Duration t) {
    return new Command(argv, t, stdin, env);
  }

  public Command withStdin(String in) {
    return new Command(argv, timeout, in, env);
  }

  public Command withEnv(Map<String, String> extra) {
    return new Command(argv, timeout, stdin, extra);
  }

  /** For logs and messages only; never executed as a string. */
  public String display() {
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      boolean quote = a.isEmpty() || a.chars().anyMatch(c -> " \t\"'$`\\|&;<>()*?".indexOf(c) >= 0);
      sb.append(quote ? "'" + a.replace("'", "'\\''") + "'" : a);
    }
    return sb.toString();
  }
}
