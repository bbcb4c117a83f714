package io.brickyard.coordinator.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec that must not be acted upon. Carries every issue found (errors and the warnings found
 * alongside them), so that the admin fixes everything in one round instead of one error per run.
 */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String sourceName;
  private final transient List<Issue> issues;

  public SpecException(String sourceName, List<Issue> issues) {
    super(format(sourceName, issues));
    this.sourceName = sourceName;
    this.issues = List.copyOf(issues);
  }

  public String sourceName() {
    return sourceName;
  }

  /** All issues, errors first in document order, then warnings. */
  public List<Issue> issues() {
    return issues;
  }

  public List<Issue> errors() {
    return issues.stream().filter(Issue::isError).toList();
  }

  private static String format(String sourceName, List<Issue> issues) {
    long errors = issues.stream().filter(Issue::isError).count();
    return sourceName + ": " + errors + " error(s) in cluster spec:\n"
        + issues.stream().map(i -> "  " + i).collect(Collectors.joining("\n"));
  }
}
