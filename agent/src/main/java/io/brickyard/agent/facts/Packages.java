package io.brickyard.agent.facts;

import io.brickyard.common.exec.Command;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installed versions of the packages Brickyard drives, from the node's package database
 * (rpm on the RHEL family, dpkg on Debian). Keys are stable product names, values the
 * package's version.
 */
public final class Packages {
  /** product key -> package name (identical on both families for these). */
  static final Map<String, String> PACKAGES = new LinkedHashMap<>();

  static {
    PACKAGES.put("glusterfs", "glusterfs-server");
    PACKAGES.put("nfs-ganesha", "nfs-ganesha");
    PACKAGES.put("nfs-ganesha-gluster", "nfs-ganesha-gluster");
    PACKAGES.put("lvm2", "lvm2");
    PACKAGES.put("xfsprogs", "xfsprogs");
    PACKAGES.put("firewalld", "firewalld");
  }

  private Packages() {}

  public static Command dpkgQuery() {
    List<String> argv = new java.util.ArrayList<>(List.of("dpkg-query", "-W", "-f", "${Package}\\t${db:Status-Status}\\t${Version}\\n"));
    argv.addAll(PACKAGES.values());
    return Command.of(argv);
  }

  public static Command rpmQuery() {
    List<String> argv = new java.util.ArrayList<>(List.of("rpm", "-q", "--qf", "%{NAME}\\t%{VERSION}-%{RELEASE}\\n"));
    argv.addAll(PACKAGES.values());
    return Command.of(argv);
  }

  /** dpkg-query lines "name\tinstalled\tversion"; packages not installed are skipped. */
  public static Map<String, String> parseDpkg(String out) {
    Map<String, String> byPkg = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 3 && f[1].equals("installed") && !f[2].isBlank()) {
        byPkg.put(f[0], f[2]);
      }
    }
    return toKeys(byPkg);
  }

  /** rpm lines "name\tversion-release"; "package X is not installed" lines are skipped. */
  public static Map<String, String> parseRpm(String out) {
    Map<String, String> byPkg = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\t");
      if (f.length == 2) {
        byPkg.put(f[0], f[1]);
      }
    }
    return toKeys(byPkg);
  }

  private static Map<String, String> toKeys(Map<String, String> byPkg) {
    Map<String, String> out = new LinkedHashMap<>();
    PACKAGES.forEach((key, pkg) -> {
      if (byPkg.containsKey(pkg)) {
        out.put(key, byPkg.get(pkg));
      }
    });
    return out;
  }
}
