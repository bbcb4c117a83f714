package io.brickyard.cli.status;

import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.spec.SpecFileOption;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.brickyard.coordinator.spec.VolumeSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard client-mount VOLUME -f spec.yaml [--nfs]}: the mount command and fstab line for a
 * client. FUSE (default): backup-volfile-servers lists the other nodes so the mount survives the
 * loss of the node it first asked (the recipe's last step). {@code --nfs}: NFSv4 through the
 * export's first virtual IP, which moves to another NFS node on failover. Read from the spec alone:
 * nothing is asked of the cluster.
 */
@Command(name = "client-mount", description = "Print the mount command and fstab line for a volume: FUSE (default), "
    + "or NFSv4 through a virtual IP (--nfs).")
public final class ClientMountCommand implements Callable<Integer> {
  /**
   * Hard, not soft: on a failover the VIP is unreachable for a few seconds and the new holder is in
   * grace; a hard mount retries until it answers, while a soft mount gives up after its retries and
   * returns EIO, and a write the application already saw succeed (cached, then flushed) can be
   * lost that way without anyone noticing. timeo=600 (60 s per try, the Linux default for TCP) is
   * spelled out so that nobody "tunes" it down to a value shorter than a grace period. TCP because
   * NFSv4 requires it.
   */
  static final String NFS_OPTIONS = "proto=tcp,hard,timeo=600";

  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Volume name.")
  String volume;

  @Mixin SpecFileOption file;

  @Option(names = "--mount-point", description = "Where the client mounts it (default /mnt/VOLUME).")
  String mountPoint;

  @Option(names = "--nfs", description = "Mount the volume's NFS export through the spec's virtual IPs instead of FUSE.")
  boolean nfs;

  @Override
  public Integer call() {
    ClusterSpec cs = file.loadValid(spec.commandLine().getErr()).result().spec().orElseThrow();
    VolumeSpec v = cs.volume(volume).orElseThrow(() -> new UserException(ExitCodes.BAD_INPUT,
        "no volume '" + volume + "' in " + file.path() + "; volumes: " + cs.volumes().stream().map(VolumeSpec::name).toList()));
    String mp = mountPoint != null ? mountPoint : "/mnt/" + volume;
    PrintWriter out = spec.commandLine().getOut();
    List<String> lines = nfs ? nfsLines(cs.nfs(), volume, mp, file.path().toString()) : fuseLines(cs, v, mp);
    lines.forEach(out::println);
    out.flush();
    return ExitCodes.OK;
  }

  private static List<String> fuseLines(ClusterSpec cs, VolumeSpec v, String mp) {
    List<String> servers = v.bricks().stream()
        .map(b -> cs.nodeForBrickHost(b.host()).map(NodeSpec::glusterAddress).orElse(b.host())).distinct().toList();
    String primary = servers.get(0);
    List<String> backups = servers.subList(1, servers.size());
    String opts = backups.isEmpty() ? "" : "backup-volfile-servers=" + String.join(":", backups);
    return List.of("mkdir -p " + mp,
        "mount -t glusterfs " + (opts.isEmpty() ? "" : "-o " + opts + " ") + primary + ":/" + v.name() + " " + mp,
        "# /etc/fstab:",
        primary + ":/" + v.name() + " " + mp + " glusterfs defaults,_netdev" + (opts.isEmpty() ? "" : "," + opts) + " 0 0");
  }

  /**
   * The NFS mount of {@code volume}'s export (the first one in the spec, if it has several) through
   * the first virtual IP: any VIP reaches every export, since every NFS node exports everything.
   * NFSv4 at the highest minor version the spec serves (4.0 → vers=4.0); an export served over
   * NFSv3 only gets a v3 mount. Exit 2 when the spec has no NFS service, does not export the
   * volume, or has no virtual IP.
   */
  static List<String> nfsLines(Optional<NfsSpec> nfsSpec, String volume, String mp, String specName) {
    NfsSpec nfs = nfsSpec.orElseThrow(() -> new UserException(ExitCodes.BAD_INPUT,
        specName + " has no nfs section: volume '" + volume + "' is not exported over NFS (without --nfs: the FUSE mount)"));
    List<ExportSpec> exports = nfs.exports().stream().filter(e -> e.volume().equals(volume)).toList();
    if (exports.isEmpty()) {
      throw new UserException(ExitCodes.BAD_INPUT, "volume '" + volume + "' is not exported in " + specName
          + "'s nfs section; exported: " + nfs.exports().stream().map(ExportSpec::volume).distinct().toList());
    }
    if (nfs.vips().isEmpty()) {
      throw new UserException(ExitCodes.BAD_INPUT, specName + "'s nfs section has no vips: clients have no address to mount");
    }
    ExportSpec e = exports.get(0);
    String vip = nfs.vips().get(0).ip();
    String source = vip + ":" + e.pseudoPath();
    boolean v4 = e.protocols().contains(4);
    String type = v4 ? "nfs4" : "nfs";
    String vers = !v4 ? "vers=3" : nfs.minorVersions().isEmpty() ? "vers=4" : "vers=4." + Collections.max(nfs.minorVersions());
    List<String> lines = new ArrayList<>(List.of("mkdir -p " + mp,
        "mount -t " + type + " -o " + vers + "," + NFS_OPTIONS + " " + source + " " + mp,
        "# /etc/fstab:",
        source + " " + mp + " " + type + " " + vers + "," + NFS_OPTIONS + ",_netdev,nofail 0 0"));
    if (nfs.vips().size() > 1) {
      lines.add("# the other virtual IPs serve it too (each client mounts one; spread clients over them): "
          + nfs.vips().stream().skip(1).map(VipSpec::ip).collect(Collectors.joining(", ")));
    }
    lines.add("# clients allowed by the export: " + (e.clients().isEmpty() ? "none listed"
        : e.clients().stream().map(c -> c.cidrs().stream().map(x -> x.text()).collect(Collectors.joining(" "))
            + " " + (c.access() == null ? e.access() : c.access()).yamlName()).collect(Collectors.joining(", "))));
    if (exports.size() > 1) {
      lines.add("# the volume has other exports too: " + exports.stream().skip(1).map(ExportSpec::pseudoPath).toList());
    }
    return lines;
  }
}
