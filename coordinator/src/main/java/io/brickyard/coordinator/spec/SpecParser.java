package io.brickyard.coordinator.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Entry point: YAML text -> validated {@link ClusterSpec}. Loading is SnakeYAML's SafeConstructor
 * (plain maps, lists and strings; never an arbitrary class), duplicate keys are errors, and plain
 * scalars stay strings: YAML 1.1 would otherwise turn {@code no} into false, {@code 0755} into 493
 * and {@code 2024-01-01} into a Date behind the admin's back. {@link SpecMapper} then types each
 * field with errors at its path, and {@link SpecValidator} applies the semantic rules.
 *
 * <p>Structural issues are all reported together; semantic checks run once the structure is
 * sound (a half-built model would only produce follow-on noise).
 */
public final class SpecParser {
  private SpecParser() {}

  /** Everything found about one spec text: the spec (if it could be built) and all issues. */
  public record Result(Optional<ClusterSpec> spec, List<Issue> issues) {
    public Result {
      issues = List.copyOf(issues);
    }

    public boolean ok() {
      return spec.isPresent() && issues.stream().noneMatch(Issue::isError);
    }

    public List<Issue> errors() {
      return issues.stream().filter(Issue::isError).toList();
    }

    public List<Issue> warnings() {
      return issues.stream().filter(Issue::warning).toList();
    }
  }

  /**
   * Parses and validates; returns the spec when there is no error (warnings: use
   * {@link #analyze} or {@link SpecValidator#validate}).
   *
   * @throws SpecException carrying every issue when there is at least one error
   */
  public static ClusterSpec parse(String yaml, String sourceName) throws SpecException {
    Result r = analyze(yaml, sourceName);
    if (!r.ok()) {
      throw new SpecException(sourceName, r.issues());
    }
    return r.spec().orElseThrow();
  }

  public static ClusterSpec parse(Path file) throws SpecException, IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Never throws for bad input: returns the spec (when buildable) and errors then warnings. */
  public static Result analyze(String yaml, String sourceName) {
    Object tree;
    try {
      tree = loader().load(yaml);
    } catch (MarkedYAMLException e) {
      return new Result(Optional.empty(), List.of(Issue.error(Issue.DOCUMENT, describe(e))));
    } catch (YAMLException e) {
      return new Result(Optional.empty(), List.of(Issue.error(Issue.DOCUMENT, e.getMessage())));
    }
    SpecMapper mapper = new SpecMapper();
    ClusterSpec spec = mapper.map(tree);
    if (!mapper.issues().isEmpty() || spec == null) {
      return new Result(Optional.empty(), mapper.issues());
    }
    List<Issue> issues = new ArrayList<>(SpecValidator.validate(spec));
    // Stable: errors first, each group in the order the rules found them (document order).
    issues.sort(Comparator.comparing(Issue::warning));
    return new Result(Optional.of(spec), issues);
  }

  private static String describe(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
    if (e.getContext() != null && problem.startsWith("found duplicate key")) {
      problem = problem.replaceFirst("found duplicate key", "duplicate key");
    }
    return mark == null ? problem : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + problem;
  }

  static Yaml loader() {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(false);
    o.setAllowRecursiveKeys(false);
    o.setMaxAliasesForCollections(50);
    o.setCodePointLimit(1 << 20);
    o.setNestingDepthLimit(30);
    DumperOptions d = new DumperOptions();
    return new Yaml(new ErrorsAtTheirLine(o), new Representer(d), d, o, new StringScalars());
  }

  /**
   * SafeConstructor whose every failure is a YAML error at the node's line: an explicit tag that does
   * not fit its value ({@code !!seq x}, {@code !!int abc}, {@code !!timestamp nope}) made SnakeYAML
   * throw ClassCastException or NumberFormatException, which are not YAMLExceptions, so the CLI died
   * with a Java exception's name and the coordinator answered UNKNOWN (found by the spec fuzzer).
   */
  private static final class ErrorsAtTheirLine extends SafeConstructor {
    ErrorsAtTheirLine(LoaderOptions o) {
      super(o);
    }

    @Override
    protected Object constructObject(Node node) {
      try {
        return super.constructObject(node);
      } catch (YAMLException e) {
        throw e;
      } catch (RuntimeException e) {
        String tag = node.getTag().getValue().startsWith(Tag.PREFIX)
            ? "!!" + node.getTag().getValue().substring(Tag.PREFIX.length()) : node.getTag().getValue();
        String why = e instanceof ClassCastException || e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
        throw new BadValue("cannot read this " + node.getNodeId().name() + " as " + tag + why, node.getStartMark(), e);
      }
    }
  }

  /** A value SnakeYAML could not construct, at its place in the text. */
  private static final class BadValue extends ConstructorException {
    private static final long serialVersionUID = 1L;

    BadValue(String problem, Mark mark, Throwable cause) {
      super(null, null, problem, mark, cause);
    }
  }

  /** Resolves plain scalars to strings (and empty/~/null to null); keeps merge keys ({@code <<}). */
  private static final class StringScalars extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }
}
