package io.brickyard.coordinator.failover;

import io.brickyard.api.coordinator.v1.ZkMember;
import io.brickyard.common.net.LocalAddresses;
import io.brickyard.common.tls.TlsFiles;
import io.brickyard.common.zk.ZkAcls;
import io.brickyard.common.zk.ZkClients;
import io.brickyard.common.zk.ZkEnsemble;
import io.brickyard.common.zk.ZkMemberProbe;
import io.brickyard.coordinator.apply.Journal;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeRegistry;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.vip.OwnedVips;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this coordinator's part of automatic failover from its {@code --zookeeper} option: a TLS
 * Curator client with the coordinator certificate, Brickyard's znodes and ACLs, and the
 * {@link FailoverLeader} (every coordinator runs one; the latch picks the leader). After each
 * successful apply of a spec with {@code nfs} and {@code coordination} sections, {@link #applied}
 * publishes the VIPs, homes and policy for whichever coordinator leads.
 */
public final class FailoverStart implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FailoverStart.class);
  /** A take waits for the duplicate address probe and one gratuitous ARP: about 1.6 s. */
  private static final Duration MIN_TAKE_DEADLINE = Duration.ofSeconds(10);
  /** Each member's srvr answer for status: a member that does not answer within it is reported unreachable. */
  private static final Duration MEMBER_PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final CuratorFramework zk;
  private final FailoverLeader leader;
  private final Election election;

  private FailoverStart(CuratorFramework zk, FailoverLeader leader, Election election) {
    this.zk = zk;
    this.leader = leader;
    this.election = election;
  }

  /**
   * @param id this coordinator's name in the election
   * @param advertise its API address as the CLI reaches it (HOST:PORT): with the name, its participant
   *     id in the election ({@link Election})
   */
  public static Optional<FailoverStart> start(String members, String id, String advertise, TlsFiles tls, Path stateDir,
      AgentClients clients, NodeRegistry registry, Journal journal, MeterRegistry metrics, Duration agentDeadline)
      throws Exception {
    if (members == null || members.isBlank()) {
      return Optional.empty();
    }
    ZkEnsemble ens = ZkEnsemble.parse(members);
    String participant = Election.participantId(id, advertise);
    // as the agents: not the member on this host, which hides a partition of this host for seconds
    String connect = ens.remoteConnectString(LocalAddresses::isLocal);
    var zkTls = ZkClients.tlsConfig(tls, stateDir.resolve("zk"));
    CuratorFramework zk = ZkClients.curator(connect, zkTls,
        ZkClients.SESSION_TIMEOUT, ZkClients.CONNECTION_TIMEOUT);
    zk.start();
    Duration deadline = agentDeadline.compareTo(MIN_TAKE_DEADLINE) > 0 ? agentDeadline : MIN_TAKE_DEADLINE;
    FailoverLeader leader = new FailoverLeader(zk, participant,
        FailoverAgents.grpc(clients, name -> {
          var a = registry.get(name);
          if (a == null) {
            throw new IllegalStateException("node " + name + " is not in the coordinator's node list (apply first)");
          }
          return a;
        }, deadline), journal, metrics);
    if (zk.blockUntilConnected((int) ZkClients.SESSION_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
      ZkClients.ensureSchema(zk, ZkAcls.ROOT + "/vips", ZkAcls.ROOT + "/nodes", OwnedVips.MOVING);
    } else {
      log.warn("ZooKeeper ({}) not reachable yet: failover waits for it", connect);
    }
    leader.start();
    log.info("failover: taking part in the leader election as {} (ZooKeeper {})", participant, connect);
    return Optional.of(new FailoverStart(zk, leader, new Election(zk, leader::isLeader, id, advertise, ens.members().size(),
        () -> ZkMemberProbe.probe(ens, zkTls, MEMBER_PROBE_TIMEOUT).stream().map(m -> ZkMember.newBuilder()
            .setId(m.id()).setAddress(m.address()).setMode(m.mode()).setDetail(m.detail()).build()).toList())));
  }

  /** After a successful apply: the spec's HA configuration for the leader, if it has one. */
  public void applied(ClusterSpec spec) {
    HaConfig.of(spec).ifPresent(c -> {
      try {
        FailoverLeader.publish(zk, c);
      } catch (Exception e) {
        log.error("cannot publish the HA configuration to ZooKeeper: {}", e.toString());
      }
    });
  }

  /** This coordinator's ZooKeeper session (the move mark of apply and vip move, docs/ha.md). */
  public CuratorFramework zk() {
    return zk;
  }

  public FailoverLeader leader() {
    return leader;
  }

  /** Who leads, for the CLI and status. */
  public Election election() {
    return election;
  }

  @Override
  public void close() throws Exception {
    leader.close();
    zk.close();
  }
}
