package io.brickyard.cli.spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -f, --file FILE}: the cluster spec, declared once for every command that takes one, so
 * the name, the stdin form and the help text cannot drift apart. A {@code @Mixin} where the spec is
 * required; {@code @ArgGroup(exclusive = false, multiplicity = "0..1")} where it is optional
 * ({@code status}): the group is then null when -f is absent.
 */
public final class SpecFileOption {
  @Option(names = {"-f", "--file"}, required = true, description = "The cluster spec (YAML), or - for stdin.")
  Path file;

  public Path path() {
    return file;
  }

  /** Read and validated locally (see {@link SpecFile#loadValid}): invalid means exit 2, nothing runs. */
  public SpecFile.Loaded loadValid(PrintWriter err) {
    return SpecFile.loadValid(file, err);
  }

  /** Read and analyzed, valid or not (see {@link SpecFile#load}). */
  public SpecFile.Loaded load() {
    return SpecFile.load(file);
  }
}
