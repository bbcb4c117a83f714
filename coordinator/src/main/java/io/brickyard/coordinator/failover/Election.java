package io.brickyard.coordinator.failover;

import io.brickyard.api.coordinator.v1.Coordinator;
import io.brickyard.api.coordinator.v1.HaView;
import io.brickyard.api.coordinator.v1.ZkMember;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Who leads the coordinators, for the CLI ({@code Leader} RPC), {@code status} and the guard on the calls
 * that change the cluster (docs/ha.md, "Which coordinator the CLI talks to").
 *
 * <p>The election is {@link FailoverLeader}'s Curator {@code LeaderLatch}, unchanged; what this adds is
 * the participant id {@code ID@HOST:PORT}: the coordinator's name and its advertised API address. So the
 * election itself says where the leader is: nothing else to keep in step with it (a separate "leader
 * address" znode could outlive or lag the latch), and a participant's address disappears with its
 * session exactly when its latch node does. The leader is the participant whose latch node has the lowest
 * sequence number, which is Curator's own rule ({@code LeaderLatch.getLeader()}); reading the children
 * here also gives the standbys for {@code status}.
 */
public final class Election {
  private static final String LATCH = "latch-";

  private final CuratorFramework zk;
  private final BooleanSupplier leads;
  private final String selfId;
  private final String selfAddress;
  private final int ensembleSize;
  private final Supplier<List<ZkMember>> members;

  /**
   * @param zk this coordinator's ZooKeeper client (null: no election, this coordinator runs without
   *     {@code --zookeeper})
   * @param leads whether this coordinator's latch holds leadership ({@link FailoverLeader#isLeader})
   */
  public Election(CuratorFramework zk, BooleanSupplier leads, String selfId, String selfAddress, int ensembleSize) {
    this(zk, leads, selfId, selfAddress, ensembleSize, List::of);
  }

  /** @param members each ZooKeeper member's state, asked at every {@link #viewWithMembers} (ZkMemberProbe) */
  public Election(CuratorFramework zk, BooleanSupplier leads, String selfId, String selfAddress, int ensembleSize,
      Supplier<List<ZkMember>> members) {
    this.zk = zk;
    this.leads = leads;
    this.selfId = selfId;
    this.selfAddress = selfAddress;
    this.ensembleSize = ensembleSize;
    this.members = members;
  }

  /** A coordinator without {@code --zookeeper}: alone, it serves every call. */
  public static Election off(String selfAddress) {
    return new Election(null, () -> true, "", selfAddress, 0);
  }

  /**
   * The latch's participant id. An id with '@' or whitespace is refused: '@' separates the address,
   * and the id is printed in status lines.
   */
  public static String participantId(String id, String address) {
    if (id.isEmpty() || id.contains("@") || !id.equals(id.strip()) || id.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("--coordinator-id '" + id + "': a name without '@' or spaces is needed");
    }
    return id + "@" + address;
  }

  /** A participant id as id and address; an id written without '@' (an older coordinator) has no address. */
  static Coordinator parse(String participantId, boolean leader) {
    int at = participantId.indexOf('@');
    return Coordinator.newBuilder().setId(at < 0 ? participantId : participantId.substring(0, at))
        .setAddress(at < 0 ? "" : participantId.substring(at + 1)).setLeader(leader).build();
  }

  public boolean enabled() {
    return zk != null;
  }

  /** True when this coordinator may change the cluster: it leads, or there is no election. */
  public boolean leads() {
    return leads.getAsBoolean();
  }

  /**
   * {@link #view} with each ZooKeeper member asked for its state, for {@code status}: up to the probe's
   * timeout slower when a member does not answer, so not for finding the leader.
   */
  public HaView viewWithMembers() {
    HaView v = view();
    return enabled() ? v.toBuilder().addAllMembers(members.get()).build() : v;
  }

  /** The election as ZooKeeper has it now; without a connected session, no leader is known. */
  public HaView view() {
    HaView.Builder v = HaView.newBuilder().setEnabled(enabled()).setSelfId(selfId).setSelfAddress(selfAddress)
        .setSelfLeads(leads());
    if (!enabled()) {
      return v.build();
    }
    v.setEnsembleSize(ensembleSize).setToleratedFailures(Math.max(0, (ensembleSize - 1) / 2));
    boolean connected = zk.getZookeeperClient().isConnected();
    v.setConnected(connected);
    if (!connected) {
      return v.build(); // a cached answer could name a leader that is gone; say nothing instead
    }
    try {
      List<String> nodes = new ArrayList<>(zk.getChildren().forPath(FailoverLeader.LEADER));
      nodes.sort(Comparator.comparing(Election::sequence));
      for (String n : nodes) {
        byte[] data;
        try {
          data = zk.getData().forPath(FailoverLeader.LEADER + "/" + n);
        } catch (KeeperException.NoNodeException gone) {
          continue; // its session ended between the two reads
        }
        Coordinator c = parse(new String(data, StandardCharsets.UTF_8), v.getCoordinatorsCount() == 0);
        v.addCoordinators(c);
        if (c.getLeader()) {
          v.setLeaderId(c.getId()).setLeaderAddress(c.getAddress());
        }
      }
    } catch (KeeperException.NoNodeException none) {
      // nobody has joined yet
    } catch (Exception e) {
      v.setConnected(false).clearCoordinators().clearLeaderId().clearLeaderAddress();
    }
    return v.build();
  }

  /** Curator's latch node "_c_UUID-latch-0000000003": its sequence, as Curator sorts them. */
  static String sequence(String node) {
    int i = node.lastIndexOf(LATCH);
    return i < 0 ? node : node.substring(i + LATCH.length());
  }
}
