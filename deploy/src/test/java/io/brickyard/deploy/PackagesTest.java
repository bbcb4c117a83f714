package io.brickyard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RPMs and .debs as the real tools see them: rpmbuild builds them (scripts/rpm.sh), rpm reads
 * their requirements and file lists and installs them into an empty root; dpkg-deb builds and
 * unpacks the .debs, lintian judges them. Every path the units, the environment files and the
 * "Installed files" table of docs/deploy.md name must exist in both installed trees, and every
 * file the packages install must be in that table.
 */
@Tag("packages")
class PackagesTest {
  static final List<String> NAMES = List.of("brickyard", "brickyard-agent", "brickyard-coordinator");
  /** Absolute paths in unit and environment files (not in comments). */
  static final Pattern PATH = Pattern.compile("(?<![\\w$])(/(?:usr|etc|var|run|lib)/[A-Za-z0-9_.@/-]+)");
  /** Named but deliberately not in a package, and why. */
  static final Map<String, String> NOT_PACKAGED = Map.of(
      "/usr/bin/java", "the JDK, a dependency (java-17-openjdk-headless / openjdk-17-jre-headless)",
      "/var/cache/brickyard/brickyard-agent.jsa", "made by brickyard-agent-cds at the first start (its directory is packaged)",
      "/etc/default/brickyard-agent", "the Debian name of /etc/sysconfig/brickyard-agent (EnvironmentFile=-, optional)",
      "/etc/default/brickyard-coordinator", "the Debian name of /etc/sysconfig/brickyard-coordinator (optional)",
      "/etc/sysconfig/brickyard-agent", "the RHEL name of /etc/default/brickyard-agent (optional)",
      "/etc/sysconfig/brickyard-coordinator", "the RHEL name of /etc/default/brickyard-coordinator (optional)",
      "/etc/default/brickyard-zookeeper", "the Debian name of /etc/sysconfig/brickyard-zookeeper (optional)",
      "/etc/sysconfig/brickyard-zookeeper", "the RHEL name of /etc/default/brickyard-zookeeper (optional)");

  @TempDir static Path rpmRoot;
  @TempDir static Path debRoot;

  @BeforeAll
  static void install() {
    List<String> rpm = new ArrayList<>(List.of("rpm", "--root", rpmRoot.toString(), "--nodeps", "--noscripts", "-i"));
    Packages.rpms().forEach(p -> rpm.add(p.toString()));
    assertThat(Packages.rpms()).hasSize(4); // + brickyard-zookeeper (issue 11; no .deb yet)
    Run.of(Map.of(), Packages.REPO, 300, rpm).ok();
    assertThat(Packages.debs()).hasSize(4);
    for (Path d : Packages.debs()) {
      Run.of("dpkg-deb", "-x", d.toString(), debRoot.toString()).ok();
    }
  }

  static List<String> rpmList(String name) {
    return Run.of("rpm", "-qpl", Packages.rpm(name).toString()).ok().out().lines().toList();
  }

  /** Paths (no "./", directories with a trailing "/") from {@code dpkg-deb --contents}. */
  static List<String> debList(String name) {
    List<String> l = new ArrayList<>();
    for (String line : Run.of("dpkg-deb", "--contents", Packages.deb(name).toString()).ok().out().lines().toList()) {
      String p = line.substring(line.indexOf(" ./") + 2);
      if (!p.equals("/")) {
        l.add(p);
      }
    }
    return l;
  }

  @Test
  void rpmRequirementsAreWhatTheProgramsRun() {
    List<String> agent = Run.of("rpm", "-qpR", Packages.rpm("brickyard-agent").toString()).ok().out().lines().map(String::strip).toList();
    assertThat(agent).contains("java-17-openjdk-headless", "glusterfs-server", "firewalld", "lvm2", "xfsprogs",
        "util-linux", "iproute", "iputils", "systemd");
    List<String> coord = Run.of("rpm", "-qpR", Packages.rpm("brickyard-coordinator").toString()).ok().out().lines().map(String::strip).toList();
    assertThat(coord).contains("java-17-openjdk-headless", "shadow-utils", "systemd");
    List<String> cli = Run.of("rpm", "-qpR", Packages.rpm("brickyard").toString()).ok().out().lines().map(String::strip).toList();
    assertThat(cli).contains("java-17-openjdk-headless").doesNotContain("glusterfs-server");
    // Every subpackage names the same version; none ships a file another one ships.
    Set<String> seen = new TreeSet<>();
    for (String n : NAMES) {
      for (String f : rpmList(n)) {
        if (rpmRoot.resolve(f.substring(1)).toFile().isFile()) {
          assertThat(seen.add(f)).as(f + " in two packages").isTrue();
        }
      }
    }
  }

  @Test
  void everyPathTheUnitsAndEnvironmentFilesNameIsInstalled() throws IOException {
    Map<String, String> named = new LinkedHashMap<>();
    try (Stream<Path> files = Stream.concat(Files.list(DeployFiles.dir().resolve("systemd")),
        Files.list(DeployFiles.dir().resolve("sysconfig")))) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("#")) {
            continue;
          }
          Matcher m = PATH.matcher(line);
          while (m.find()) {
            named.putIfAbsent(m.group(1).replaceAll("[.]$", ""), f.getFileName().toString());
          }
        }
      }
    }
    assertThat(named).containsKeys("/usr/share/brickyard/brickyard-agent.jar", "/usr/libexec/brickyard/brickyard-agent-cds",
        "/etc/brickyard/tls", "/var/lib/brickyard", "/usr/share/doc/brickyard/deploy.md");
    List<String> missing = new ArrayList<>();
    named.forEach((path, from) -> {
      if (path.startsWith("/run/") || NOT_PACKAGED.containsKey(path)) {
        return; // runtime directories are the unit's RuntimeDirectory=; the rest is explained above
      }
      for (Path root : List.of(rpmRoot, debRoot)) {
        if (!Files.exists(root.resolve(path.substring(1)))) {
          missing.add(path + " (named in " + from + ") not in the " + (root == rpmRoot ? "RPM" : "Debian") + " tree");
        }
      }
    });
    assertThat(missing).isEmpty();
    // The optional environment files: each family has its own one.
    assertThat(rpmRoot.resolve("etc/sysconfig/brickyard-agent")).isRegularFile();
    assertThat(debRoot.resolve("etc/default/brickyard-agent")).isRegularFile();
    assertThat(rpmRoot.resolve("etc/sysconfig/brickyard-coordinator")).isRegularFile();
    assertThat(debRoot.resolve("etc/default/brickyard-coordinator")).isRegularFile();
  }

  /** Rows of the "Installed files" table in docs/deploy.md: RPM path, Debian path, packages. */
  static List<String[]> docTable() throws IOException {
    String doc = Files.readString(Packages.REPO.resolve("docs/deploy.md"));
    int start = doc.indexOf("<!-- installed-files -->");
    assertThat(start).as("docs/deploy.md has the installed-files table").isPositive();
    List<String[]> rows = new ArrayList<>();
    for (String line : doc.substring(start).lines().skip(3).toList()) {
      if (!line.startsWith("|")) {
        break;
      }
      // | `path` (note) | `path` or same | packages |: the path is the cell's first `...`.
      String[] c = Arrays.stream(line.split("\\|")).map(s -> s.replaceAll("^\\s*`([^`]*)`.*$", "$1").strip()).toArray(String[]::new);
      rows.add(new String[] {c[1], c[2].startsWith("same") ? c[1] : c[2], c[3]});
    }
    return rows;
  }

  @Test
  void installedFilesTableOfTheDocsMatchesBothPackages() throws IOException {
    List<String[]> rows = docTable();
    assertThat(rows).hasSizeGreaterThan(15);
    for (int fmt = 0; fmt < 2; fmt++) {
      Path root = fmt == 0 ? rpmRoot : debRoot;
      List<PathMatcher> matchers = new ArrayList<>();
      for (String[] r : rows) {
        String p = r[fmt].replaceAll("/$", "");
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
        // Each row exists, in each package it names.
        for (String pkg : r[2].split(",\\s*")) {
          List<String> list = fmt == 0 ? rpmList(pkg) : debList(pkg).stream().map(s -> s.replaceAll("/$", "")).toList();
          PathMatcher pm = matchers.get(matchers.size() - 1);
          assertThat(list).as(p + " in " + pkg + (fmt == 0 ? " RPM" : " .deb")).anyMatch(f -> pm.matches(Path.of(f)));
        }
      }
      // Each installed file is in the table (Debian's own copyright/changelog/lintian files aside).
      List<String> unlisted = new ArrayList<>();
      try (Stream<Path> all = Files.walk(root)) {
        for (Path f : all.filter(Files::isRegularFile).toList()) {
          String abs = "/" + root.relativize(f);
          if (abs.startsWith("/root/.rpmdb") || abs.startsWith("/var/lib/rpm") || abs.startsWith("/usr/share/lintian/")
              || abs.matches("/usr/share/doc/brickyard[^/]*/(copyright|changelog\\.Debian\\.gz)")) {
            continue;
          }
          if (matchers.stream().noneMatch(m -> m.matches(Path.of(abs)))) {
            unlisted.add(abs);
          }
        }
      }
      assertThat(unlisted).as("installed but not in the table of docs/deploy.md").isEmpty();
    }
  }

  @Test
  void systemdAnalyzeVerifyAcceptsTheInstalledUnits() {
    Packages.require(Map.of("systemd-analyze", "systemd"));
    for (Path unit : List.of(rpmRoot.resolve("usr/lib/systemd/system/brickyard-agent.service"),
        rpmRoot.resolve("usr/lib/systemd/system/brickyard-coordinator.service"),
        debRoot.resolve("lib/systemd/system/brickyard-agent.service"),
        debRoot.resolve("lib/systemd/system/brickyard-coordinator.service"))) {
      Run r = Run.of("systemd-analyze", "verify", unit.toString());
      assertThat(r.code()).as(r.describe()).isZero();
      assertThat(r.out() + r.err()).as(unit.toString()).isEmpty();
    }
  }

  @Test
  void lintianFindsNothing() {
    Packages.require(Map.of("lintian", "lintian"));
    List<String> argv = new ArrayList<>(List.of("lintian", "--allow-root", "--fail-on", "error,warning"));
    Packages.debs().forEach(d -> argv.add(d.toString()));
    Run r = Run.of(Map.of(), Packages.REPO, 600, argv);
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.out().lines().filter(l -> l.matches("[EW]: .*"))).as(r.out()).isEmpty();
  }

  @Test
  void manPagesRenderAndCompletionIsInBothPackages() throws IOException {
    Packages.require(Map.of("man", "man-db"));
    List<Path> pages;
    try (Stream<Path> s = Files.list(debRoot.resolve("usr/share/man/man1"))) {
      pages = s.sorted().toList();
    }
    assertThat(pages).extracting(p -> p.getFileName().toString())
        .contains("brickyard.1.gz", "brickyard-nodes.1.gz", "brickyard-status.1.gz", "brickyard-certs-issue.1.gz");
    for (Path p : pages) {
      Run r = Run.of(Map.of("MANWIDTH", "80", "MAN_KEEP_FORMATTING", ""), Packages.REPO, 60,
          List.of("man", "--warnings", "-l", p.toString()));
      assertThat(r.code()).as(r.describe()).isZero();
      assertThat(r.err()).as(p + " troff warnings").isEmpty();
      assertThat(r.out()).contains("NAME").contains("SYNOPSIS");
    }
    String nodes = Run.of(Map.of("MANWIDTH", "80"), Packages.REPO, 60,
        List.of("man", "-l", debRoot.resolve("usr/share/man/man1/brickyard-nodes.1.gz").toString())).ok().out();
    assertThat(nodes).contains("text, json or yaml");
    assertThat(Files.readString(rpmRoot.resolve("usr/share/bash-completion/completions/brickyard")))
        .isEqualTo(Files.readString(debRoot.resolve("usr/share/bash-completion/completions/brickyard")));
    assertThat(rpmRoot.resolve("usr/share/zsh/site-functions/_brickyard")).isRegularFile();
    assertThat(debRoot.resolve("usr/share/zsh/vendor-completions/_brickyard")).isRegularFile();
  }
}
