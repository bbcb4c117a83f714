package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.VipOwnershipResult;
import io.brickyard.api.agent.v1.ExportAccess;
import io.brickyard.api.agent.v1.ExportClient;
import io.brickyard.api.agent.v1.ExportSquash;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveExportRequest;
import io.brickyard.api.agent.v1.TakeoverLink;
import io.brickyard.common.net.Cidr;
import io.brickyard.common.nfs.RecoveryLayout;
import io.brickyard.coordinator.nfs.ExportIds;
import io.brickyard.coordinator.nfs.NfsFacts;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.VipSpec;
import io.brickyard.coordinator.spec.VolumeSpec;
import io.brickyard.coordinator.spec.VolumeType;
import io.brickyard.coordinator.vip.OwnedVips;
import io.brickyard.coordinator.vip.VipMover;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Steps of the NFS service (docs/nfs.md): on every NFS node the shared recovery store, ganesha's
 * configuration, ganesha running, the exports, and each VIP on its home node; cluster-wide the
 * recovery volume (with the Export_Id registry as its option) and, with --move-vips, moving a VIP
 * home. Order on a node: store, configuration, service, exports, then the VIPs it is home to, so an
 * address is announced only once the node serves what clients will ask it for.
 */
final class NfsSteps {
  static final String GANESHA_UNIT = "nfs-ganesha";

  /** How long a just-started ganesha may take to register on D-Bus (the agent's own wait after a start). */
  static final java.time.Duration GANESHA_REGISTERS = java.time.Duration.ofSeconds(30);

  /** Create the recovery volume with gluster's force: its bricks are on the root filesystem, by design. */
  private static final boolean FORCE = true;

  private NfsSteps() {}

  /**
   * The recovery volume as a volume of the plan: replica 3 over the first three NFS nodes (replica
   * 2 with two, one brick with one), bricks on the root filesystem as gluster_shared_storage's, with
   * the Export_Id registry as its option.
   */
  static VolumeSpec recoveryVolume(NfsSpec nfs, ExportIds ids) {
    return recoveryVolume(nfs, ids, false);
  }

  /**
   * With HA on, gluster's {@code network.ping-timeout} of the recovery volume is
   * {@link #HA_RECOVERY_PING_TIMEOUT} instead of gluster's 42 s. A node that vanishes without closing its
   * connections (link down, power loss) blocks every operation on the store's FUSE mount until the
   * survivors' clients give up on its brick; the failover's takeover link and ganesha's reading of the
   * client records for grace 5 are such operations, and they come when the holder's ZooKeeper session
   * expires (6 s). So the store must have dropped the dead brick by then (docs/ha.md, "Gluster's ping
   * timeout").
   */
  static VolumeSpec recoveryVolume(NfsSpec nfs, ExportIds ids, boolean ha) {
    List<Brick> bricks = recoveryBrickNodes(nfs).stream().map(n -> new Brick(n, nfs.recovery().brickDirectory().toString())).toList();
    boolean replicated = bricks.size() > 1;
    Map<String, String> options = ha ? Map.of(ExportIds.OPTION, ids.text(), PING_TIMEOUT, HA_RECOVERY_PING_TIMEOUT,
        TCP_USER_TIMEOUT, HA_RECOVERY_TCP_USER_TIMEOUT) : Map.of(ExportIds.OPTION, ids.text());
    return new VolumeSpec(nfs.recovery().volume(), replicated ? VolumeType.REPLICATE : VolumeType.DISTRIBUTE,
        replicated ? bricks.size() : 0, 0, 0, 0, VolumeSpec.DEFAULT_TRANSPORT, bricks, options, FORCE);
  }

  static final String PING_TIMEOUT = "network.ping-timeout";
  static final String TCP_USER_TIMEOUT = "client.tcp-user-timeout";
  /**
   * Seconds of unacknowledged data after which the kernel drops the client's connection to a brick
   * (TCP_USER_TIMEOUT). The ping timeout alone does not drop a silent brick while the client keeps
   * sending (every request sent re-arms gluster's ping timer), and during a failover ganesha keeps
   * writing client records on the store: in the lab the link-down take's grace 5 still waited 2.7 s
   * after the session expired with a 2 s ping timeout. The kernel's timer counts from the first
   * unacknowledged byte, which the agents' keepalive sends within a second of the loss.
   */
  static final String HA_RECOVERY_TCP_USER_TIMEOUT = "2";
  /**
   * Seconds. Gluster's client drops a silent brick between one and two ping timeouts after its last
   * request went out (a request sent meanwhile counts as activity and re-arms the timer), and the agents'
   * keepalive makes that request at once; 2 s puts the drop at 2-4 s after the loss, before the holder's
   * 6 s session expires and the take reads the store (measured with 5 s: the take's grace 5 waited until
   * 10.3 s, docs/ha.md). The store is Brickyard's own, tiny volume: a spurious drop costs one reconnect.
   */
  static final String HA_RECOVERY_PING_TIMEOUT = "2";

  /** The nodes carrying a brick of the recovery volume. */
  static List<String> recoveryBrickNodes(NfsSpec nfs) {
    return nfs.nodes().subList(0, Math.min(3, nfs.nodes().size()));
  }

  /** The recovery store mounted on {@code t} with a takeover link per VIP to the node whose records serve it. */
  static Step recoveryStore(NfsSpec nfs, NodeAddress t, NfsFacts facts) {
    EnsureRecoveryStoreRequest.Builder b = EnsureRecoveryStoreRequest.newBuilder().setVolume(nfs.recovery().volume())
        .setMountPoint(nfs.recovery().mountPoint().toString()).setNode(t.name());
    for (VipSpec v : nfs.vips()) {
      b.addLinks(TakeoverLink.newBuilder().setAddress(v.ip()).setHolderNode(recordsOf(v, facts)));
    }
    EnsureRecoveryStoreRequest req = b.build();
    return new Step(new StepKey.RecoveryStore(t.name()), "nfs.recovery-store",
        "NFSv4 recovery store " + nfs.recovery().volume() + " mounted on " + nfs.recovery().mountPoint()
            + ", takeover links", t,
        (c, a, o, d) -> c.nfs(a, d).ensureRecoveryStore(req.toBuilder().setOptions(o).build()), false,
        List.of(new StepKey.VolumeStart(nfs.recovery().volume())), List.of(new StepKey.Service(t.name(), "glusterd")));
  }

  /** Whose records a taker of {@code v} reads: its only holder now, else its home. */
  static String recordsOf(VipSpec v, NfsFacts facts) {
    List<String> holders = facts.holders(v.ip());
    return holders.size() == 1 ? holders.get(0) : v.home();
  }

  /** Ganesha's main file; restarts a running ganesha only when its core parameters changed. */
  static Step ganeshaConfig(NfsSpec nfs, NodeAddress t) {
    EnsureGaneshaConfigRequest req = EnsureGaneshaConfigRequest.newBuilder()
        .setGracePeriodSeconds(nfs.gracePeriodSeconds()).setLeaseLifetimeSeconds(nfs.leaseLifetimeSeconds())
        .addAllMinorVersions(nfs.minorVersions()).setNfsv3(nfs.nfsv3())
        .setRecoveryRoot(RecoveryLayout.nodeRoot(nfs.recovery().mountPoint(), t.name()).toString())
        .setRestartIfRequired(true).setEpochIndex(nfs.nodes().indexOf(t.name()) + 1).build();
    return new Step(new StepKey.Ganesha(t.name()), "nfs.ganesha.config",
        "ganesha.conf: grace " + nfs.gracePeriodSeconds() + " s, lease " + nfs.leaseLifetimeSeconds()
            + " s, NFSv4 minor versions " + nfs.minorVersions() + (nfs.nfsv3() ? ", NFSv3 + NLM" : "")
            + " (restarts ganesha only when these change); server epoch ending in "
            + String.format("%02d", req.getEpochIndex()) + " (its place in nfs.nodes: client ids unlike any other node's)", t,
        (c, a, o, d) -> c.nfs(a, d).ensureGaneshaConfig(req.toBuilder().setOptions(o).build()).getResult(), false,
        List.of(new StepKey.RecoveryStore(t.name()), new StepKey.Service(t.name(), "rpcbind"),
            new StepKey.Service(t.name(), "dbus")));
  }

  /**
   * Ganesha running and enabled, once its configuration and export files are written (order only):
   * a ganesha started here loads every export from its files at once, instead of racing the export
   * steps while it registers on D-Bus.
   */
  static Step ganeshaService(NodeAddress t, List<StepKey> exports) {
    List<StepKey> after = new ArrayList<>(List.of(new StepKey.Ganesha(t.name())));
    after.addAll(exports);
    return ServiceSteps.ensure(t, GANESHA_UNIT).runAfter(after);
  }

  /** One export, live in {@code t}'s ganesha; its id from the registry. */
  static Step export(ExportSpec e, int exportId, NodeAddress t, String recoveryVolume) {
    EnsureExportRequest.Builder b = EnsureExportRequest.newBuilder().setExportId(exportId).setVolume(e.volume())
        .setPseudoPath(e.pseudoPath()).setAccess(access(e.access())).setSquash(squash(e.squash()))
        .addAllProtocols(e.protocols());
    for (ExportSpec.Client cl : e.clients()) {
      b.addClients(ExportClient.newBuilder().addAllCidrs(cl.cidrs().stream().map(Cidr::text).toList())
          .setAccess(access(cl.access())));
    }
    EnsureExportRequest req = b.build();
    return new Step(new StepKey.Export(t.name(), e.pseudoPath()), "nfs.export",
        "export " + e.volume() + " as " + e.pseudoPath() + " (Export_Id " + exportId + ", " + e.access().yamlName()
            + ", " + e.squash().yamlName() + ", NFSv" + e.protocols() + ")", t,
        (c, a, o, d) -> c.nfs(a, d).ensureExport(req.toBuilder().setOptions(o).build()), false,
        List.of(new StepKey.Ganesha(t.name()), new StepKey.VolumeStart(e.volume()),
            new StepKey.VolumeOptions(recoveryVolume)));
  }

  /** An export brickyard made on {@code t} that the spec no longer has: removed live, its clients lose it. */
  static Step removeExport(int exportId, String pseudoPath, NodeAddress t) {
    RemoveExportRequest req = RemoveExportRequest.newBuilder().setExportId(exportId).setPseudoPath(pseudoPath).build();
    return new Step(new StepKey.ExportRemoval(t.name(), exportId), "nfs.export.remove",
        "remove export " + pseudoPath + " (Export_Id " + exportId + "): brickyard made it and the spec no longer has"
            + " it; its clients lose access", t,
        (c, a, o, d) -> c.nfs(a, d).removeExport(req.toBuilder().setOptions(o).build()), false, List.of(),
        List.of(new StepKey.Ganesha(t.name())));
  }

  /**
   * {@code v} on its home node {@code t}, held by nobody else now. When it is to be added (not in a
   * dry run) the node first gets grace event 5 for it, so that clients of an earlier holder may
   * reclaim: before the address, as a move does it ({@link VipMover}).
   */
  static Step vipAtHome(VipSpec v, NodeAddress t, List<StepKey> exports) {
    EnsureVipPresentRequest req = EnsureVipPresentRequest.newBuilder().setAddress(v.address().toString())
        .setInterface(v.networkInterface().orElse("")).build();
    GraceRequest take = GraceRequest.newBuilder().setEvent(GraceEvent.GRACE_EVENT_TAKE_ADDRESS).setAddress(v.ip()).build();
    List<StepKey> needs = new ArrayList<>(exports);
    needs.add(new StepKey.RecoveryStore(t.name()));
    return new Step(new StepKey.Vip(t.name(), v.ip()), "nfs.vip",
        "virtual IP " + v.address() + " on its home node" + v.networkInterface().map(i -> " (" + i + ")").orElse("")
            + " (grace event 5, then added and announced by gratuitous ARP)", t,
        (c, a, o, d) -> {
          OperationResult check = c.vip(a, d).ensureVipPresent(req.toBuilder().setOptions(o.toBuilder().setDryRun(true))
              .build());
          if (!check.getChanged() || o.getDryRun()) {
            return check;
          }
          OperationResult grace = graceOnceRegistered(c.nfs(a, d), take.toBuilder().setOptions(o).build());
          OperationResult added = c.vip(a, d).ensureVipPresent(req.toBuilder().setOptions(o).build());
          return added.toBuilder().clearCommands().addAllCommands(grace.getCommandsList())
              .addAllCommands(added.getCommandsList()).setSummary(grace.getSummary() + "; " + added.getSummary()).build();
        }, false, needs, List.of(new StepKey.Service(t.name(), GANESHA_UNIT)));
  }

  /**
   * {@code v} on its home node {@code t} under HA (spec {@code coordination:}): the agent's TakeVip
   * (znode, grace 5, address + ARP), so the address is never on the link without its znode; first a wait
   * for ganesha on D-Bus, as the agent's ganesha watch releases every VIP while ganesha is down. The dry
   * run is EnsureVipPresent's (TakeVip has none). The takeover link is the recovery store step's.
   */
  static Step vipAtHomeOwned(VipSpec v, NodeAddress t, List<StepKey> exports) {
    EnsureVipPresentRequest req = EnsureVipPresentRequest.newBuilder().setAddress(v.address().toString())
        .setInterface(v.networkInterface().orElse("")).build();
    List<StepKey> needs = new ArrayList<>(exports);
    needs.add(new StepKey.RecoveryStore(t.name()));
    return new Step(new StepKey.Vip(t.name(), v.ip()), "nfs.vip.take",
        "virtual IP " + v.address() + " on its home node" + v.networkInterface().map(i -> " (" + i + ")").orElse("")
            + " under its ZooKeeper znode (TakeVip: znode, grace event 5, added and announced by gratuitous ARP)", t,
        (c, a, o, d) -> {
          if (o.getDryRun()) {
            return c.vip(a, d).ensureVipPresent(req.toBuilder().setOptions(o).build());
          }
          OwnedVips.awaitGanesha(c, a, d, GANESHA_REGISTERS);
          VipOwnershipResult r = OwnedVips.take(c, a, d, v);
          return r.getResult().toBuilder().setChanged(r.getResult().getChanged() || r.getClaimedAtMs() != 0)
              .setSummary(v.ip() + ": " + OwnedVips.describeTake(r)).build();
        }, false, needs, List.of(new StepKey.Service(t.name(), GANESHA_UNIT)));
  }

  /**
   * Sends a grace event, waiting (up to {@link #GANESHA_REGISTERS}) for a ganesha that was just
   * started to register on D-Bus: the service step's start returns as soon as the process runs, and
   * ganesha registers only after loading its exports.
   */
  static OperationResult graceOnceRegistered(NfsServiceGrpc.NfsServiceBlockingStub nfs, GraceRequest req) {
    long end = System.nanoTime() + GANESHA_REGISTERS.toNanos();
    while (true) {
      try {
        return nfs.grace(req).getResult();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION || System.nanoTime() > end) {
          throw e;
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw Status.CANCELLED.withDescription("interrupted waiting for ganesha").asRuntimeException();
      }
    }
  }

  /** {@code v} moved home from {@code holders} (apply --move-vips), the way `vip move` does it. */
  static Step moveHome(ClusterSpec spec, VipSpec v, NodeAddress home, List<String> holders, List<StepKey> needs,
      VipMover mover) {
    return new Step(new StepKey.VipMove(v.ip()), "nfs.vip.move",
        "move virtual IP " + v.address() + " from " + String.join(" and ", holders) + " to its home " + home.name()
            + " (release, grace 2, add + ARP, grace 5): its clients pause and reclaim", home,
        (c, a, o, d) -> mover.moveAsStep(spec, v, home.name(), o.getDryRun(), d), false, needs);
  }

  static ExportAccess access(ExportSpec.Access a) {
    return a == ExportSpec.Access.RO ? ExportAccess.EXPORT_ACCESS_RO : ExportAccess.EXPORT_ACCESS_RW;
  }

  static ExportSquash squash(ExportSpec.Squash s) {
    return switch (s) {
      case ROOT_SQUASH -> ExportSquash.EXPORT_SQUASH_ROOT;
      case NO_ROOT_SQUASH -> ExportSquash.EXPORT_SQUASH_NONE;
      case ALL_SQUASH -> ExportSquash.EXPORT_SQUASH_ALL;
    };
  }
}
