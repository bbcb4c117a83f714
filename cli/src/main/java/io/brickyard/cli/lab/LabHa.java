package io.brickyard.cli.lab;

import io.brickyard.api.coordinator.v1.CoordinatorServiceGrpc;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.api.coordinator.v1.LeaderRequest;
import io.brickyard.common.zk.ZkEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.brickyard.common.zk.ZkMemberMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code lab up --ha} (docs/ha.md, docs/lab.md): the 3-member ZooKeeper ensemble the production
 * recipe has (gluster1, gluster2 and the coordinator's host, here this machine on the bridge address),
 * agents and coordinators started with {@code --zookeeper}, and a second, standby coordinator on a host
 * of its own ({@link LabStandby}).
 */
final class LabHa {
  private LabHa() {}

  /** 1 = gluster1, 2 = gluster2, 3 = this machine's bridge address (the coordinator's host). */
  static String members(LabLayout layout) {
    if (layout.nodes() < 2) {
      throw new LabException("--ha needs at least 2 storage hosts (the ensemble is gluster1, gluster2 and this "
          + "machine)");
    }
    List<LabHost> storage = layout.hosts().stream().filter(LabHost::storage).toList();
    return "1=" + storage.get(0).ip() + ",2=" + storage.get(1).ip() + ",3=" + bridgeIp(layout);
  }

  static String bridgeIp(LabLayout layout) {
    return layout.bridgeCidr().substring(0, layout.bridgeCidr().indexOf('/'));
  }

  /** The member id of a storage host (1, 2), or 0 when it is not a member. */
  static int memberId(LabLayout layout, LabHost h) {
    List<LabHost> storage = layout.hosts().stream().filter(LabHost::storage).toList();
    int i = storage.indexOf(h);
    return i >= 0 && i < 2 ? i + 1 : 0;
  }

  /** The member launcher, as the brickyard-zookeeper unit runs it. */
  static List<String> memberCommand(Path jar, LabLayout layout, int id, Path dataDir, Path tlsDir, String tlsName) {
    List<String> cmd = new ArrayList<>(List.of(Jars.java(), "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", jar.toString(), ZkMemberMain.class.getName(),
        "--id", Integer.toString(id), "--members", members(layout), "--data-dir", dataDir.toString(),
        "--tls-dir", tlsDir.toString(), "--tls-name", tlsName));
    return cmd;
  }

  /**
   * Waits (up to 30 s) until the coordinator on {@code ch} names a leader: {@code lab up} starts the
   * standby only then, so that the first coordinator leads (a lab whose leader is always the same is
   * easier to reason about; the CLI would find either). Returns the leader's id.
   */
  static String awaitLeader(ManagedChannel ch, Path log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HaView v = CoordinatorServiceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
            .leader(LeaderRequest.getDefaultInstance());
        if (!v.getLeaderId().isEmpty()) {
          return v.getLeaderId();
        }
        last = v.getConnected() ? "nobody leads yet" : "its ZooKeeper session is not connected";
      } catch (StatusRuntimeException e) {
        last = e.getStatus().getCode() + " " + e.getStatus().getDescription();
      }
      Thread.sleep(100);
    }
    throw new LabException("no coordinator leads 30 s after the first one served (" + last + "); " + log + " ends with:\n"
        + ServingWait.tail(log));
  }

  /** firewalld service for the members' ports, allowed in the lab hosts' zone with --ha. */
  static String firewalldService() {
    return """
        <?xml version="1.0" encoding="utf-8"?>
        <service>
          <short>Brickyard ZooKeeper</short>
          <description>Brickyard's ZooKeeper member: TLS client port and quorum ports.</description>
          <port protocol="tcp" port="%d"/>
          <port protocol="tcp" port="%d"/>
          <port protocol="tcp" port="%d"/>
        </service>
        """.formatted(ZkEnsemble.DEFAULT_CLIENT_PORT, ZkEnsemble.DEFAULT_QUORUM_PORT, ZkEnsemble.DEFAULT_ELECTION_PORT);
  }
}
