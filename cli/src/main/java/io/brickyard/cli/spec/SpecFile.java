package io.brickyard.cli.spec;

import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.coordinator.spec.Issue;
import io.brickyard.coordinator.spec.SpecParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Spec loading for {@link SpecFileOption} (-f FILE, or - for stdin): reads and validates it locally,
 * before any node or the coordinator is contacted. Invalid: every issue printed, exit code 2.
 */
public final class SpecFile {
  private SpecFile() {}

  public record Loaded(String yaml, String name, SpecParser.Result result) {
    /** The warnings as the coordinator words them in a plan ("path: message"), already printed by {@link #print}. */
    public Set<String> warningTexts() {
      return result.warnings().stream().map(i -> i.path() + ": " + i.message())
          .collect(Collectors.toUnmodifiableSet());
    }
  }

  public static Loaded load(Path file) {
    String yaml;
    try {
      yaml = file.toString().equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UserException(ExitCodes.BAD_INPUT, "spec file not found: " + file);
    } catch (IOException e) {
      throw new UserException(ExitCodes.BAD_INPUT, "cannot read spec " + file + ": " + e.getMessage());
    }
    String name = file.toString().equals("-") ? "<stdin>" : file.toString();
    return new Loaded(yaml, name, SpecParser.analyze(yaml, name));
  }

  /** Prints warnings; on errors prints them all and throws exit 2: nothing runs. */
  public static Loaded loadValid(Path file, PrintWriter err) {
    Loaded l = load(file);
    print(l, err);
    if (!l.result().ok()) {
      throw new UserException(ExitCodes.BAD_INPUT, l.name() + ": " + l.result().errors().size()
          + " error(s) in the spec; nothing was run");
    }
    return l;
  }

  public static void print(Loaded l, PrintWriter w) {
    for (Issue i : l.result().issues()) {
      w.println(l.name() + ": " + (i.warning() ? "warning" : "error") + ": " + i.path() + ": " + i.message());
    }
    w.flush();
  }
}
