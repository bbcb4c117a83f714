package io.brickyard.cli.status;

import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.spec.SpecFileOption;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.VolumeSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard client-mount VOLUME -f spec.yaml}: the FUSE mount command and fstab line for a
 * client, with backup-volfile-servers listing the other nodes so the mount survives the loss of
 * the node it first asked (the recipe's last step).
 */
@Command(name = "client-mount", description = "Print the FUSE mount command and fstab line for a volume.")
public final class ClientMountCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "Volume name.")
  String volume;

  @Mixin SpecFileOption file;

  @Option(names = "--mount-point", description = "Where the client mounts it (default /mnt/VOLUME).")
  String mountPoint;

  @Override
  public Integer call() {
    ClusterSpec cs = file.loadValid(spec.commandLine().getErr()).result().spec().orElseThrow();
    VolumeSpec v = cs.volume(volume).orElseThrow(() -> new UserException(ExitCodes.BAD_INPUT,
        "no volume '" + volume + "' in " + file.path() + "; volumes: " + cs.volumes().stream().map(VolumeSpec::name).toList()));
    List<String> servers = v.bricks().stream()
        .map(b -> cs.nodeForBrickHost(b.host()).map(NodeSpec::glusterAddress).orElse(b.host())).distinct().toList();
    String primary = servers.get(0);
    List<String> backups = servers.subList(1, servers.size());
    String mp = mountPoint != null ? mountPoint : "/mnt/" + volume;
    String opts = backups.isEmpty() ? "" : "backup-volfile-servers=" + String.join(":", backups);
    var out = spec.commandLine().getOut();
    out.println("mkdir -p " + mp);
    out.println("mount -t glusterfs " + (opts.isEmpty() ? "" : "-o " + opts + " ") + primary + ":/" + volume + " " + mp);
    out.println("# /etc/fstab:");
    out.println(primary + ":/" + volume + " " + mp + " glusterfs defaults,_netdev" + (opts.isEmpty() ? "" : "," + opts) + " 0 0");
    out.flush();
    return ExitCodes.OK;
  }
}
