package io.brickyard.agent.facts;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.AgentMain;
import io.brickyard.agent.inventory.InventoryCollector;
import io.brickyard.agent.nfs.GaneshaHealthRead;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.agent.vip.VipLabel;
import io.brickyard.api.agent.v1.FactsServiceGrpc;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.GetInventoryRequest;
import io.brickyard.api.agent.v1.Inventory;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.common.exec.CommandResult;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Facts and inventory, always read from the live node: never cached, never stored. */
public final class FactsServiceImpl extends FactsServiceGrpc.FactsServiceImplBase {
  static final List<String> UNITS = List.of("glusterd", "nfs-ganesha", "firewalld", "rpcbind");
  private final AgentContext ctx;
  private final InventoryCollector inventory;

  public FactsServiceImpl(AgentContext ctx) {
    this.ctx = ctx;
    this.inventory = new InventoryCollector(ctx.runner());
  }

  @Override
  public void getFacts(GetFactsRequest req, StreamObserver<NodeFacts> out) {
    Rpcs.unary(out, this::facts);
  }

  @Override
  public void getInventory(GetInventoryRequest req, StreamObserver<Inventory> out) {
    Rpcs.unary(out, () -> inventory.collect(req.getMinSizeBytes()));
  }

  NodeFacts facts() {
    NodeFacts.Builder f = NodeFacts.newBuilder()
        .setHostname(read("/proc/sys/kernel/hostname"))
        .setKernel(read("/proc/sys/kernel/osrelease"))
        .setAgentVersion(AgentMain.VERSION)
        .setServiceBackend(ctx.services().name());
    Map<String, String> os = OsRelease.parse(read("/etc/os-release"));
    f.setOsId(os.getOrDefault("ID", "")).setOsVersion(os.getOrDefault("VERSION_ID", ""))
        .setOsPrettyName(os.getOrDefault("PRETTY_NAME", ""));
    String uptime = read("/proc/uptime");
    if (!uptime.isEmpty()) {
      f.setUptimeSeconds((long) Double.parseDouble(uptime.split(" ")[0]));
    }
    boolean rpmFamily = Files.isExecutable(Path.of("/usr/bin/rpm")) && !Files.isExecutable(Path.of("/usr/bin/dpkg-query"));
    CommandResult pk = ctx.runner().run(rpmFamily ? Packages.rpmQuery() : Packages.dpkgQuery());
    f.putAllPackageVersions(rpmFamily ? Packages.parseRpm(pk.stdout()) : Packages.parseDpkg(pk.stdout()));
    for (String unit : UNITS) {
      f.addServices(ctx.services().status(unit));
    }
    f.setGanesha(GaneshaHealthRead.read(new Operation(ctx.runner(), true)));
    CommandResult ip = ctx.runner().run(IpAddr.COMMAND);
    if (ip.ok()) {
      List<IpAddr.Link> links = IpAddr.links(ip.stdout());
      f.addAllInterfaces(IpAddr.interfaces(links)).addAllVirtualIps(VipLabel.held(links));
    }
    return f.build();
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path)).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
