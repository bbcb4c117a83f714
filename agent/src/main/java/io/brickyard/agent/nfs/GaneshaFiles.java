package io.brickyard.agent.nfs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the agent keeps ganesha's configuration: the main file the packages' units start ganesha
 * with, a directory of its own for the export files (one per Export_Id), which the main file
 * includes, for NFSv3 rpc.statd's port settings (nfs-utils' nfs.conf.d: statd is not ganesha's),
 * and the environment file the packages' start script reads, where the epoch program goes
 * ({@link GaneshaEpoch}; RHEL's /etc/sysconfig/ganesha, or Debian's /etc/ganesha/nfs-ganesha, new
 * ones seeded from the unit's own {@code unitEnv}). Overridable so unit tests write into a temp
 * directory.
 */
record GaneshaFiles(Path mainConfig, Path exportDir, Path statdConfig, Path epochSource, Path unitEnv) {
  /** The %dir pattern in the main file; temp files of the atomic writer start with '.', so never match. */
  static final String EXPORT_GLOB = "export-*.conf";

  static GaneshaFiles system() {
    return new GaneshaFiles(Path.of("/etc/ganesha/ganesha.conf"), Path.of("/etc/ganesha/brickyard.d"),
        Path.of("/etc/nfs.conf.d/brickyard-statd.conf"),
        Files.isDirectory(Path.of("/etc/sysconfig")) ? GaneshaEpoch.RHEL_SOURCE : GaneshaEpoch.DEBIAN_SOURCE,
        GaneshaEpoch.DEBIAN_UNIT_ENV);
  }

  /** Test layout: everything below one directory. */
  static GaneshaFiles under(Path dir) {
    return new GaneshaFiles(dir.resolve("ganesha.conf"), dir.resolve("brickyard.d"),
        dir.resolve("nfs.conf.d/brickyard-statd.conf"), dir.resolve("nfs-ganesha"), dir.resolve("default-nfs-ganesha"));
  }

  Path exportFile(int id) {
    return exportDir.resolve("export-" + id + ".conf");
  }

  /** The copy of the main file kept before each change, as for /etc/fstab. */
  Path mainBackup() {
    return mainConfig.resolveSibling(mainConfig.getFileName() + ".brickyard.bak");
  }
}
