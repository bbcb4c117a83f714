package io.brickyard.common.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts long-running programs detached from our pipes: output goes to a log file, stdin is
 * /dev/null, so the caller never blocks on a daemon's inherited file descriptors.
 */
public final class Daemons {
  private Daemons() {}

  /** Starts argv with stdout+stderr appended to {@code logFile}; returns the process. */
  public static Process spawn(List<String> argv, Path logFile, Map<String, String> env)
      throws IOException {
    File log = logFile.toFile();
    File parent = log.getParentFile();
    if (parent != null) {
      parent.mkdirs();
    }
    ProcessBuilder pb = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb.start();
  }
}
