package io.brickyard.cli.nodes;

import com.google.protobuf.InvalidProtocolBufferException;
import io.brickyard.api.agent.v1.BlockDevice;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.api.coordinator.v1.ListNodesRequest;
import io.brickyard.api.coordinator.v1.ListNodesResponse;
import io.brickyard.api.coordinator.v1.NodeView;
import io.brickyard.cli.ExitCodes;
import io.brickyard.cli.config.ConnectionOptions;
import io.brickyard.cli.config.OutputOptions;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brickyard nodes [NAME...] [-o json|yaml]}: reachability, facts summary and disks per node. */
@Command(name = "nodes", description = "List nodes: reachability, versions, services and disks.")
public final class NodesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions conn;

  @Parameters(arity = "0..*", description = "Only these nodes.")
  List<String> names = List.of();

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    boolean structured = output.structured();
    ManagedChannel ch = conn.open();
    ListNodesResponse resp;
    try {
      resp = conn.stub(ch).listNodes(ListNodesRequest.newBuilder().addAllNames(names).build());
    } finally {
      ConnectionOptions.close(ch);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (structured) {
      output.print(resp, out);
    } else {
      print(out, resp.getNodesList());
    }
    out.flush();
    return resp.getNodesList().stream().allMatch(NodeView::getReachable) ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  static void print(PrintWriter out, List<NodeView> nodes) {
    if (nodes.isEmpty()) {
      out.println("no nodes known to the coordinator");
      return;
    }
    for (NodeView n : nodes) {
      if (!n.getReachable()) {
        out.printf("%-12s %-21s UNREACHABLE  %s%n", n.getName(), n.getAddress(), n.getError());
        continue;
      }
      var f = n.getFacts();
      out.printf("%-12s %-21s reachable    %s, kernel %s, glusterfs %s, agent %s (%d ms)%n", n.getName(), n.getAddress(),
          f.getOsPrettyName(), f.getKernel(), f.getPackageVersionsOrDefault("glusterfs", "-"), f.getAgentVersion(),
          n.getLatencyMillis());
      StringBuilder svc = new StringBuilder();
      for (ServiceState s : f.getServicesList()) {
        svc.append(s.getUnit()).append('=').append(!s.getInstalled() ? "not-installed" : s.getActive() ? "active" : "inactive")
            .append(s.getEnabled() ? "/enabled" : "").append("  ");
      }
      out.println("    services: " + svc.toString().strip());
      for (BlockDevice d : n.getDevicesList()) {
        out.printf("    %-10s %8s  %-5s %s%n", d.getPath(), human(d.getSizeBytes()), d.getType(),
            d.getAvailable() ? "available" : "rejected: " + String.join("; ", d.getRejectedReasonsList()));
      }
    }
  }

  static String human(long bytes) {
    String[] u = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int i = 0;
    while (v >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0 ? bytes + " B" : String.format("%.1f %s", v, u[i]);
  }
}
