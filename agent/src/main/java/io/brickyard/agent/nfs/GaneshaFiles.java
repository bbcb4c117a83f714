package io.brickyard.agent.nfs;

import java.nio.file.Path;

/**
 * Where the agent keeps ganesha's configuration: the main file the packages' units start ganesha
 * with, a directory of its own for the export files (one per Export_Id), which the main file
 * includes, and, for NFSv3, rpc.statd's port settings (nfs-utils' nfs.conf.d: statd is not
 * ganesha's). Overridable so unit tests write into a temp directory.
 */
record GaneshaFiles(Path mainConfig, Path exportDir, Path statdConfig) {
  /** The %dir pattern in the main file; temp files of the atomic writer start with '.', so never match. */
  static final String EXPORT_GLOB = "export-*.conf";

  static GaneshaFiles system() {
    return new GaneshaFiles(Path.of("/etc/ganesha/ganesha.conf"), Path.of("/etc/ganesha/brickyard.d"),
        Path.of("/etc/nfs.conf.d/brickyard-statd.conf"));
  }

  /** Test layout: everything below one directory. */
  static GaneshaFiles under(Path dir) {
    return new GaneshaFiles(dir.resolve("ganesha.conf"), dir.resolve("brickyard.d"),
        dir.resolve("nfs.conf.d/brickyard-statd.conf"));
  }

  Path exportFile(int id) {
    return exportDir.resolve("export-" + id + ".conf");
  }

  /** The copy of the main file kept before each change, as for /etc/fstab. */
  Path mainBackup() {
    return mainConfig.resolveSibling(mainConfig.getFileName() + ".brickyard.bak");
  }
}
