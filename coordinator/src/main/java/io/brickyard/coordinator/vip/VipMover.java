package io.brickyard.coordinator.vip;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.coordinator.v1.VipMove;
import io.brickyard.api.coordinator.v1.VipMoveStep;
import io.brickyard.coordinator.Pools;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.nodes.AgentClients;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.nodes.NodeProbe;
import io.brickyard.coordinator.plan.DesiredSteps;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Moves one virtual IP to another NFS node, never letting two nodes hold it (docs/nfs.md, "Moving
 * a VIP"):
 * <ol>
 *   <li>each current holder removes the address, and the removal is confirmed (its agent answered
 *       that the address is gone) before anything is added; then it gets grace event 2 (release);</li>
 *   <li>the new holder's takeover link for the address points at the old holder's NFSv4 client
 *       records, so that event 5 lets exactly those clients reclaim;</li>
 *   <li>the new holder gets grace event 5 (take): it loads those records. Before the address: ganesha
 *       decides whether a client may reclaim once, when the client confirms its client id, so a
 *       client reaching the new holder before event 5 could never reclaim (docs/nfs.md, "NFSv4
 *       reclaim, verified");</li>
 *   <li>the new holder adds the address, after its agent's duplicate address probe found nobody
 *       answering for it, and announces it with gratuitous ARP: the clients come and reclaim.</li>
 * </ol>
 * A holder whose agent does not answer cannot confirm a release; the move then goes on only
 * because step 3's probe refuses an address that anybody still answers for. Holders are read from
 * the nodes when the move starts, not taken from a plan made earlier.
 */
public final class VipMover {
  /**
   * Its own threads for reading the holders side by side: a move also runs as a plan's dry run or
   * an apply's step, on a thread of a fixed pool, and must never wait for tasks queued behind it
   * on that same pool.
   */
  private static final ExecutorService READS = Executors.newCachedThreadPool(Pools.daemon("vip-move-read"));
  private final AgentClients clients;
  private final Duration deadline;
  private final OwnedVips owned;

  /** A mover for part 1 only, or HA without this coordinator's ZooKeeper session (no move mark). */
  public VipMover(AgentClients clients, Duration deadline) {
    this(clients, deadline, new OwnedVips());
  }

  /** {@code owned}: the ownership calls and move mark used when the spec has a coordination section. */
  public VipMover(AgentClients clients, Duration deadline, OwnedVips owned) {
    this.clients = clients;
    this.deadline = deadline;
    this.owned = owned;
  }

  /** The move of {@code vip} to {@code to}, or its dry run; an agent's refusal ends it with {@code error} set. */
  public VipMove move(ClusterSpec spec, VipSpec vip, String to, boolean dryRun) {
    NfsSpec nfs = spec.nfs().orElseThrow();
    List<NodeAddress> nfsNodes = nfs.nodes().stream().map(n -> address(spec, n)).toList();
    NfsFacts facts = NfsFacts.read(clients, READS, nfsNodes, deadline).join();
    List<String> holders = facts.holders(vip.ip());
    Timeline t = new Timeline(vip.ip(), to, holders.stream().filter(h -> !h.equals(to)).findFirst().orElse(""));
    if (holders.equals(List.of(to))) {
      return t.done(false, "");
    }
    RequestOptions o = RequestOptions.newBuilder().setDryRun(dryRun).build();
    NodeAddress target = address(spec, to);
    if (OwnedVips.on(spec)) {
      return moveOwned(spec, vip, to, holders, facts, t, o);
    }
    try {
      for (String h : holders) {
        if (h.equals(to)) {
          continue;
        }
        NodeAddress old = address(spec, h);
        t.run(h, "release " + vip.ip(), () -> clients.vip(old, deadline)
            .ensureVipAbsent(EnsureVipAbsentRequest.newBuilder().setOptions(o).setAddress(vip.ip()).build()));
        t.tryRun(h, "grace 2:" + vip.ip(), () -> clients.nfs(old, deadline).grace(grace(o, GraceEvent.GRACE_EVENT_RELEASE_ADDRESS,
            vip.ip())).getResult());
      }
      noteUnreachable(facts, vip, to, t);
      String records = TakeoverLinks.recordsOf(t.from(), vip.home());
      t.run(to, TakeoverLinks.describe(vip.ip(), records), () -> clients.nfs(target, deadline).ensureRecoveryStore(
          TakeoverLinks.request(nfs.recovery().volume(), nfs.recovery().mountPoint().toString(), to, vip.ip(), records, o)));
      t.run(to, "grace 5:" + vip.ip(), () -> dryRun ? OperationResult.newBuilder().setChanged(true).setDryRun(true)
          .setSummary("would send grace 5:" + vip.ip()).build()
          : clients.nfs(target, deadline).grace(grace(o, GraceEvent.GRACE_EVENT_TAKE_ADDRESS, vip.ip())).getResult());
      t.run(to, "add " + vip.address() + " + gratuitous ARP", () -> clients.vip(target, deadline)
          .ensureVipPresent(EnsureVipPresentRequest.newBuilder().setOptions(o).setAddress(vip.address().toString())
              .setInterface(vip.networkInterface().orElse("")).build()));
      return t.done(true, "");
    } catch (StepFailed e) {
      return t.done(true, e.getMessage() + (t.released() && !dryRun ? "; " + vip.ip() + " was released and may now be"
          + " held by no node: run the move again (or apply) once the cause is fixed" : ""));
    }
  }

  /**
   * The move under HA (docs/ha.md): marked for the failover leader, each holder's ReleaseVip (address,
   * grace 2, znode), the takeover link, the target's TakeVip (znode, grace 5, address + ARP): the same
   * order as part 1's, each address under its znode. A dry run asks part 1's dry runs (TakeVip and
   * ReleaseVip have none) under the same step names; it sets no mark.
   */
  private VipMove moveOwned(ClusterSpec spec, VipSpec vip, String to, List<String> holders, NfsFacts facts,
      Timeline t, RequestOptions o) {
    boolean dryRun = o.getDryRun();
    NfsSpec nfs = spec.nfs().orElseThrow();
    NodeAddress target = address(spec, to);
    OwnedVips.Mark mark = null;
    try {
      if (!dryRun) {
        try {
          mark = owned.mark(vip.ip(), to);
        } catch (StatusRuntimeException e) {
          t.note(to, "mark " + OwnedVips.MOVING + "/" + vip.ip() + ": FAILED " + NodeProbe.describe(e));
          return t.done(false, NodeProbe.describe(e));
        }
        t.note(to, mark.note().isEmpty() ? "marked " + OwnedVips.MOVING + "/" + vip.ip()
            + ": the failover leader leaves " + vip.ip() + " alone until the move ends" : mark.note());
      }
      for (String h : holders) {
        if (h.equals(to)) {
          continue;
        }
        NodeAddress old = address(spec, h);
        t.run(h, "release " + vip.ip() + " (ReleaseVip: address, grace 2, znode)", () -> dryRun
            ? clients.vip(old, deadline).ensureVipAbsent(EnsureVipAbsentRequest.newBuilder().setOptions(o)
                .setAddress(vip.ip()).build())
            : OwnedVips.release(clients, old, deadline, vip.ip()).getResult());
      }
      noteUnreachable(facts, vip, to, t);
      String records = TakeoverLinks.recordsOf(t.from(), vip.home());
      t.run(to, TakeoverLinks.describe(vip.ip(), records), () -> clients.nfs(target, deadline).ensureRecoveryStore(
          TakeoverLinks.request(nfs.recovery().volume(), nfs.recovery().mountPoint().toString(), to, vip.ip(), records, o)));
      t.run(to, "take " + vip.address() + " (TakeVip: znode, grace 5, add + gratuitous ARP)", () -> {
        if (dryRun) {
          return clients.vip(target, deadline).ensureVipPresent(EnsureVipPresentRequest.newBuilder().setOptions(o)
              .setAddress(vip.address().toString()).setInterface(vip.networkInterface().orElse("")).build());
        }
        var r = OwnedVips.take(clients, target, deadline, vip);
        return r.getResult().toBuilder().setChanged(r.getResult().getChanged() || r.getClaimedAtMs() != 0)
            .setSummary(OwnedVips.describeTake(r)).build();
      });
      return t.done(true, "");
    } catch (StepFailed e) {
      return t.done(true, e.getMessage() + (t.released() && !dryRun ? "; " + vip.ip() + " was released and may now be"
          + " held by no node: the failover leader assigns it once the move's mark is gone, or run the move again"
          : ""));
    } finally {
      if (mark != null) {
        mark.close();
      }
    }
  }

  private static void noteUnreachable(NfsFacts facts, VipSpec vip, String to, Timeline t) {
    for (NfsFacts.NodeNfs n : facts.nodes()) {
      if (!n.reachable() && !n.node().equals(to)) {
        t.note(n.node(), "agent unreachable (" + n.error() + "): it cannot confirm it does not hold " + vip.ip()
            + "; the duplicate address probe on " + to + " guards the add");
      }
    }
  }

  /** The move as one step of an apply (--move-vips): a refusal or failure is the step's. */
  public OperationResult moveAsStep(ClusterSpec spec, VipSpec vip, String to, boolean dryRun, Duration stepDeadline) {
    VipMove m = move(spec, vip, to, dryRun);
    if (!m.getError().isEmpty()) {
      throw Status.ABORTED.withDescription(m.getError()).asRuntimeException();
    }
    OperationResult.Builder r = OperationResult.newBuilder().setChanged(m.getChanged()).setDryRun(dryRun)
        .setSummary(m.getChanged() ? (dryRun ? "would move " : "moved ") + vip.ip() + " " + describe(m) : "already there");
    m.getStepsList().forEach(s -> r.addAllCommands(s.getCommandsList()));
    return r.build();
  }

  /** "gluster1 -> gluster2" (or "(nobody) -> gluster2"). */
  public static String describe(VipMove m) {
    return (m.getFromNode().isEmpty() ? "(nobody)" : m.getFromNode()) + " -> " + m.getToNode();
  }

  private static GraceRequest grace(RequestOptions o, GraceEvent e, String ip) {
    return GraceRequest.newBuilder().setOptions(o).setEvent(e).setAddress(ip).build();
  }

  private static NodeAddress address(ClusterSpec spec, String node) {
    NodeSpec n = spec.node(node).orElseThrow(() -> new IllegalArgumentException("no node '" + node + "' in the spec"));
    return DesiredSteps.address(n);
  }

  /** A step that must not fail for the move to go on. */
  private static final class StepFailed extends Exception {
    StepFailed(String message) {
      super(message);
    }
  }

  /** The move's record: each agent call with its start and duration from the move's start. */
  private static final class Timeline {
    private final long t0 = System.nanoTime();
    private final VipMove.Builder move;

    Timeline(String address, String to, String from) {
      move = VipMove.newBuilder().setAddress(address).setToNode(to).setFromNode(from);
    }

    String from() {
      return move.getFromNode();
    }

    /** Whether some holder removed the address during this move. */
    boolean released() {
      return move.getStepsList().stream().anyMatch(s -> s.getChanged() && s.getWhat().startsWith("release "));
    }

    void run(String node, String what, Supplier<OperationResult> call) throws StepFailed {
      long s = System.nanoTime();
      try {
        OperationResult r = call.get();
        add(node, what, s, r.getChanged(), r.getCommandsList());
      } catch (StatusRuntimeException e) {
        add(node, what + ": FAILED " + NodeProbe.describe(e), s, false, List.of());
        throw new StepFailed(node + ": " + what + " failed: " + NodeProbe.describe(e));
      }
    }

    /** A step whose failure is recorded and does not stop the move (grace on an old holder whose ganesha died). */
    void tryRun(String node, String what, Supplier<OperationResult> call) {
      try {
        run(node, what, call);
      } catch (StepFailed e) {
        // recorded in the timeline; the release itself was confirmed
      }
    }

    void note(String node, String what) {
      add(node, what, System.nanoTime(), false, List.of());
    }

    private void add(String node, String what, long startNanos, boolean changed, List<CommandRecord> commands) {
      long now = System.nanoTime();
      move.addSteps(VipMoveStep.newBuilder().setNode(node).setWhat(what).setStartedMillis((startNanos - t0) / 1_000_000)
          .setElapsedMillis((now - startNanos) / 1_000_000).setChanged(changed).addAllCommands(commands));
    }

    VipMove done(boolean changed, String error) {
      return move.setChanged(changed).setError(error).setElapsedMillis((System.nanoTime() - t0) / 1_000_000).build();
    }
  }
}
