package io.brickyard.agent.nfs;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Ganesha's configuration syntax (ganesha-config(8)), in one place: the main file and one file per
 * export as the agent writes them, and the two facts read back from an export file (its
 * Export_Id and Pseudo). Every value reaching here was checked ({@link CoreParams},
 * {@link ExportDefinition}) to hold no quote, brace, semicolon, '#' or line break, so no value
 * can end its statement or block. The texts are verified against ganesha 4.3 (golden files in the
 * tests, loaded by a real ganesha in the lab test).
 */
final class GaneshaConfigText {
  static final String MAIN_HEADER = "# Written by the Brickyard agent (NfsService.EnsureGaneshaConfig): edits here are replaced.\n";
  static final String EXPORT_HEADER = "# Written by the Brickyard agent (NfsService.EnsureExport): edits here are replaced.\n";
  private static final Pattern EXPORT_ID = Pattern.compile("(?m)^\\s*Export_Id\\s*=\\s*(\\d{1,5})\\s*;\\s*$");
  private static final Pattern PSEUDO = Pattern.compile("(?m)^\\s*Pseudo\\s*=\\s*\"([^\"\\n]*)\"\\s*;\\s*$");
  /** The FSAL block's volume: the only quoted Volume statement in an export file of ours. */
  private static final Pattern VOLUME = Pattern.compile("(?m)^\\s*Volume\\s*=\\s*\"([^\"\\n]*)\"\\s*;\\s*$");

  /** NFSv3 ports (the ones RHEL's and ganesha-ha's guides use): mountd, NLM, rquota, rpc.statd. */
  static final int MNT_PORT = 20048;
  static final int NLM_PORT = 32803;
  static final int RQUOTA_PORT = 875;
  static final int STATD_PORT = 662;
  static final int STATD_OUTGOING_PORT = 2020;

  private GaneshaConfigText() {}

  /** nfs-utils' nfs.conf.d drop-in pinning rpc.statd's ports (NFSv3 locking's status monitor). */
  static String statd() {
    return "# Written by the Brickyard agent (NfsService.EnsureGaneshaConfig, nfsv3): edits here are replaced.\n"
        + "# rpc.statd reads it at start: restart rpc-statd after a change.\n"
        + "[statd]\n"
        + "port = " + STATD_PORT + "\n"
        + "outgoing-port = " + STATD_OUTGOING_PORT + "\n";
  }

  /**
   * The main file: core and NFSv4 parameters, then every export file of {@code files} through a
   * {@code %dir} pattern (so adding an export never touches this file; the pattern skips the
   * writer's dot-named temp files).
   */
  static String main(CoreParams p, GaneshaFiles files) {
    return MAIN_HEADER
        + "# Changing it needs a ganesha restart; exports are the files matched by %dir below,\n"
        + "# added, updated and removed live over D-Bus (org.ganesha.nfsd.exportmgr).\n"
        + "NFS_CORE_PARAM {\n"
        + "  Protocols = " + (p.nfsv3() ? "3, 4" : "4") + ";\n"
        + "  Enable_NLM = " + p.nfsv3() + ";\n"
        + "  Enable_RQUOTA = " + p.nfsv3() + ";\n"
        // NFSv3's side protocols on fixed ports, so a firewall can open them (ganesha's defaults
        // for MNT and NLM are 0: any port rpcbind hands out)
        + (p.nfsv3() ? "  MNT_Port = " + MNT_PORT + ";\n  NLM_Port = " + NLM_PORT + ";\n  Rquota_Port = " + RQUOTA_PORT
            + ";\n" : "")
        // ShowExports/DisplayExport then report pseudo paths, and NFSv3 mounts use them too
        + "  mount_path_pseudo = true;\n"
        // not clustered: the fs backend keeps this node's records in <RecoveryRoot>/v4recov itself,
        // not in a node<N> subdirectory, which is the directory a node taking over reads as
        // <RecoveryRoot>/<IP>/v4recov (4.3's recovery_fs.c; Clustered defaults to true)
        + "  Clustered = false;\n"
        + "}\n"
        + "NFSv4 {\n"
        + "  RecoveryBackend = fs;\n"
        + "  RecoveryRoot = \"" + p.recoveryRoot() + "\";\n"
        + "  RecoveryDir = \"" + CoreParams.RECOVERY_DIR + "\";\n"
        + "  Grace_Period = " + p.gracePeriod() + ";\n"
        + "  Lease_Lifetime = " + p.leaseLifetime() + ";\n"
        + "  Minor_Versions = " + join(p.minorVersions()) + ";\n"
        + "}\n"
        + "%dir \"" + files.exportDir() + "/" + GaneshaFiles.EXPORT_GLOB + "\"\n";
  }

  /** One export block: FSAL GLUSTER on this node's glusterd, the volume's root. */
  static String export(ExportDefinition e) {
    StringBuilder b = new StringBuilder(EXPORT_HEADER)
        .append("EXPORT {\n")
        .append("  Export_Id = ").append(e.id()).append(";\n")
        .append("  Path = \"/\";\n")
        .append("  Pseudo = \"").append(e.pseudo().text()).append("\";\n")
        .append("  Access_Type = ").append(e.access().config()).append(";\n")
        .append("  Squash = ").append(e.squash().config).append(";\n")
        .append("  Protocols = ").append(join(e.protocols())).append(";\n")
        .append("  Transports = TCP;\n")
        .append("  SecType = sys;\n")
        .append("  FSAL {\n")
        .append("    Name = GLUSTER;\n")
        .append("    Hostname = localhost;\n")
        .append("    Volume = \"").append(e.volume()).append("\";\n")
        .append("  }\n");
    for (ExportDefinition.ClientBlock c : e.clients()) {
      b.append("  CLIENT {\n")
          .append("    Clients = ").append(String.join(", ", c.cidrs())).append(";\n");
      // a CLIENT block's own default is 3, 4: ganesha warns ("fixing up") unless it is the export's
      b.append("    Protocols = ").append(join(e.protocols())).append(";\n");
      if (c.access() != null) {
        b.append("    Access_Type = ").append(c.access().config()).append(";\n");
      }
      b.append("  }\n");
    }
    return b.append("}\n").toString();
  }

  /** What an export file says about itself; empty fields when the file is not in our form. */
  record Identity(Optional<Integer> id, Optional<String> pseudo, Optional<String> volume) {}

  /** Reads back Export_Id, Pseudo and the FSAL's Volume from an export file (ours, or edited by hand in the same form). */
  static Identity identity(String text) {
    Matcher id = EXPORT_ID.matcher(text);
    Matcher pseudo = PSEUDO.matcher(text);
    Matcher volume = VOLUME.matcher(text);
    return new Identity(id.find() ? Optional.of(Integer.parseInt(id.group(1))) : Optional.empty(),
        pseudo.find() ? Optional.of(pseudo.group(1)) : Optional.empty(),
        volume.find() ? Optional.of(volume.group(1)) : Optional.empty());
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
