package io.brickyard.cli.vip;

import io.brickyard.api.coordinator.v1.ClusterStatus;
import io.brickyard.api.coordinator.v1.NfsView;
import io.brickyard.api.coordinator.v1.StatusRequest;
import io.brickyard.api.coordinator.v1.VipView;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.UserException;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.brickyard.cli.spec.SpecFile;
import io.brickyard.cli.spec.SpecFileOption;
import io.brickyard.cli.status.NfsStatusText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code brickyard vip list -f spec.yaml [-o json|yaml]}: each virtual IP of the spec, its home and the
 * nodes holding it now, as {@code status} reports them (the coordinator asks every NFS node; the
 * spec says which addresses to look for). Exit 1 when one is held by no node or by two.
 */
@Command(name = "list", description = "Each virtual IP of the spec: its home node and who holds it now. "
    + "Exit 1 when one is held by no node or by two.")
public final class VipListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;
  @Mixin SpecFileOption file;
  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    boolean structured = output.structured();
    SpecFile.Loaded l = file.loadValid(spec.commandLine().getErr());
    ManagedChannel ch = conn.open();
    ClusterStatus st;
    try {
      st = conn.stub(ch).withDeadlineAfter(Math.max(conn.timeoutSeconds(), 120), TimeUnit.SECONDS)
          .status(StatusRequest.newBuilder().setSpecYaml(l.yaml()).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    if (!st.hasNfs()) {
      throw new UserException(ExitCodes.BAD_INPUT, l.name() + " has no nfs section: there are no virtual IPs");
    }
    // JSON: the whole NFS view (the nodes too), so a script sees the same document as in status's.
    NfsView vips = st.getNfs();
    PrintWriter out = spec.commandLine().getOut();
    if (structured) {
      output.print(vips, out);
    } else {
      vips.getVipsList().forEach(v -> out.println(NfsStatusText.vipLine(v)));
    }
    out.flush();
    return vips.getVipsList().stream().allMatch(VipListCommand::held) ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private static boolean held(VipView v) {
    return v.getHoldersCount() == 1;
  }
}
