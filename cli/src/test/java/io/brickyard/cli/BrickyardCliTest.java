package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrickyardCliTest {
  /** Every command path, nested ones included, as argv prefixes: [nodes], [certs, init], ... */
  private static List<List<String>> paths(CommandLine cl, List<String> prefix) {
    List<List<String>> out = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) {
        continue;
      }
      List<String> p = new ArrayList<>(prefix);
      p.add(e.getKey());
      out.add(p);
      out.addAll(paths(e.getValue(), p));
    }
    return out;
  }

  @Test
  void everyCommandAnswersHelp() {
    List<List<String>> paths = paths(BrickyardCli.commandLine(), List.of());
    assertThat(paths).contains(List.of("nodes"), List.of("apply"), List.of("certs", "issue"), List.of("lab", "exec"),
        List.of("vip", "move"), List.of("vip", "list"));
    for (List<String> p : paths) {
      List<String> argv = new ArrayList<>(p);
      argv.add("--help");
      CliRun r = CliRun.of(argv.toArray(String[]::new));
      assertThat(r.code()).as(argv + ": " + r.err()).isZero();
      assertThat(r.out()).as(String.join(" ", argv)).startsWith("Usage: brickyard " + String.join(" ", p) + " ");
    }
  }

  /**
   * -f/--file is one declaration (the SpecFileOption mixin) for every command that takes a spec:
   * the same help line everywhere, required except for status (where it only adds drift), the
   * same error when missing. Before, five copies had drifted to three different help texts.
   */
  @Test
  void everySpecCommandHasTheSameFileOption() {
    String line = "  -f, --file=<file>";
    String help = "The cluster spec (YAML), or - for stdin.";
    List<String> specCommands = new ArrayList<>();
    for (List<String> p : paths(BrickyardCli.commandLine(), List.of())) {
      CommandLine cl = BrickyardCli.commandLine();
      for (String name : p) {
        cl = cl.getSubcommands().get(name);
      }
      if (cl.getCommandSpec().findOption("--file") != null) {
        specCommands.add(String.join(" ", p));
      }
    }
    assertThat(specCommands).containsExactlyInAnyOrder("validate", "plan", "apply", "status", "client-mount",
        "vip list", "vip move", "snapshot create", "snapshot list", "snapshot info", "snapshot activate",
        "snapshot deactivate", "snapshot restore", "snapshot clone", "snapshot delete",
        "brick replace", "brick remove", "node retire", "volume delete");
    // the other arguments each command requires, so that only -f is missing
    Map<String, List<String>> required = Map.ofEntries(Map.entry("client-mount", List.of("vol1")),
        Map.entry("vip move", List.of("10.77.0.201", "--to", "gluster2")), Map.entry("snapshot create", List.of("vol1", "s1")),
        Map.entry("snapshot info", List.of("s1")), Map.entry("snapshot activate", List.of("s1")),
        Map.entry("snapshot deactivate", List.of("s1")), Map.entry("snapshot restore", List.of("s1", "--yes")),
        Map.entry("snapshot clone", List.of("s1", "c1")), Map.entry("snapshot delete", List.of("s1")),
        Map.entry("brick replace", List.of("vol1", "gluster2:/gluster/b1/brick", "gluster3:/gluster/b2/brick")),
        Map.entry("brick remove", List.of("vol1", "gluster3:/gluster/b1/brick", "gluster4:/gluster/b1/brick")),
        Map.entry("node retire", List.of("gluster4")), Map.entry("volume delete", List.of("vol9")));
    for (String c : specCommands) {
      List<String> argv = new ArrayList<>(List.of(c.split(" ")));
      argv.add("--help");
      CliRun r = CliRun.of(argv.toArray(String[]::new));
      assertThat(r.code()).isZero();
      assertThat(r.out().lines().filter(l -> l.startsWith(line)).toList()).as(c).singleElement()
          .satisfies(l -> assertThat(l.substring(line.length()).strip()).isEqualTo(help));
      String synopsis = r.out().substring(0, r.out().indexOf('\n', r.out().indexOf("-f=<file>")));
      if (c.equals("status")) {
        assertThat(synopsis).as(c).contains("[-f=<file>]");
      } else {
        assertThat(synopsis).as(c).contains(" -f=<file>").doesNotContain("[-f=<file>]");
        List<String> noFile = new ArrayList<>(List.of(c.split(" ")));
        noFile.addAll(required.getOrDefault(c, List.of()));
        CliRun missing = CliRun.of(noFile.toArray(String[]::new));
        assertThat(missing.code()).as(c).isEqualTo(2);
        assertThat(missing.err()).as(c).startsWith("brickyard: Missing required option: '--file=<file>'");
      }
    }
  }

  @Test
  void aNamedSubcommandBuildsOnlyItsOwnModel() {
    assertThat(BrickyardCli.commandLineFor(new String[] {"history", "-n", "3"}).getSubcommands()).containsOnlyKeys("history");
    assertThat(BrickyardCli.commandLineFor(new String[] {"lab", "up", "--help"}).getSubcommands()).containsOnlyKeys("lab");
    // no subcommand, help, or a typo: the full command line (usage lists everything, typos get suggestions)
    for (String[] argv : List.of(new String[] {}, new String[] {"--help"}, new String[] {"help", "plan"},
        new String[] {"nodez"})) {
      assertThat(BrickyardCli.commandLineFor(argv).getSubcommands()).containsOnlyKeys(BrickyardCli.SUBCOMMANDS.keySet());
    }
    // and the lazily built one parses like the full one
    CommandLine lazy = BrickyardCli.commandLineFor(new String[] {"apply", "-f", "x.yaml", "--yes"});
    assertThat(lazy.parseArgs("apply", "-f", "x.yaml", "--yes").subcommand().matchedOptionValue("--yes", false)).isTrue();
  }
}
