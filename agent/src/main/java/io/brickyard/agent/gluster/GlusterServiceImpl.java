package io.brickyard.agent.gluster;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.AddBricksRequest;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.GetRebalanceRequest;
import io.brickyard.api.agent.v1.GetHealRequest;
import io.brickyard.api.agent.v1.DetachPeerRequest;
import io.brickyard.api.agent.v1.GetRemoveBricksRequest;
import io.brickyard.api.agent.v1.RemoveBricksRequest;
import io.brickyard.api.agent.v1.HealStatus;
import io.brickyard.api.agent.v1.ReplaceBrickRequest;
import io.brickyard.api.agent.v1.RebalanceRequest;
import io.brickyard.api.agent.v1.RebalanceStatus;
import io.brickyard.api.agent.v1.GetPoolRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterPool;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.GlusterVolumes;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.SetVolumeOptionsRequest;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.api.agent.v1.StopVolumeRequest;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gluster CLI on this node. Every mutating RPC reads the live state first (pool list, volume
 * info, volume get) and only runs the command that is missing; cluster policy (which node probes,
 * which bricks form a volume) is the coordinator's, the agent only refuses unsafe or conflicting
 * requests.
 */
public final class GlusterServiceImpl extends GlusterServiceGrpc.GlusterServiceImplBase {
  private final CommandRunner runner;
  private final GlusterCli cli;
  private final GlusterCli.Sleeper sleeper;
  private final VolumeGrowth growth;
  private final BrickReplacement replacement;
  private final BrickRemoval removal;

  public GlusterServiceImpl(AgentContext ctx) {
    this(ctx.runner(), GlusterCli.REAL_SLEEP, Duration.ofMillis(500));
  }

  /** A runner of one's choice (tests run the real CLI inside a lab host), real backoff sleeps. */
  public GlusterServiceImpl(CommandRunner runner, Duration firstBackoff) {
    this(runner, GlusterCli.REAL_SLEEP, firstBackoff);
  }

  GlusterServiceImpl(CommandRunner runner, GlusterCli.Sleeper sleeper, Duration firstBackoff) {
    this.runner = runner;
    this.sleeper = sleeper;
    this.cli = new GlusterCli(sleeper, firstBackoff);
    this.growth = new VolumeGrowth(runner, cli);
    this.replacement = new BrickReplacement(runner, cli);
    this.removal = new BrickRemoval(runner, cli);
  }

  @Override
  public void getPool(GetPoolRequest req, StreamObserver<GlusterPool> out) {
    Rpcs.unary(out, this::pool);
  }

  @Override
  public void probePeer(ProbePeerRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster peer " + req.getHostname(), () -> probePeer(req));
  }

  @Override
  public void getVolumes(GetVolumesRequest req, StreamObserver<GlusterVolumes> out) {
    Rpcs.unary(out, () -> getVolumes(req));
  }

  @Override
  public void ensureVolume(EnsureVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getName(), () -> ensureVolume(req));
  }

  @Override
  public void setVolumeOptions(SetVolumeOptionsRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> setVolumeOptions(req));
  }

  @Override
  public void startVolume(StartVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> startVolume(req));
  }

  @Override
  public void stopVolume(StopVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> stopVolume(req));
  }

  @Override
  public void addBricks(AddBricksRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> growth.addBricks(req));
  }

  @Override
  public void rebalance(RebalanceRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> growth.rebalance(req));
  }

  @Override
  public void getRebalance(GetRebalanceRequest req, StreamObserver<RebalanceStatus> out) {
    Rpcs.unary(out, () -> growth.status(req));
  }

  @Override
  public void replaceBrick(ReplaceBrickRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> replacement.replace(req));
  }

  @Override
  public void getHeal(GetHealRequest req, StreamObserver<HealStatus> out) {
    Rpcs.unary(out, () -> replacement.heal(req));
  }

  @Override
  public void removeBricks(RemoveBricksRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> removal.remove(req));
  }

  @Override
  public void getRemoveBricks(GetRemoveBricksRequest req, StreamObserver<RebalanceStatus> out) {
    Rpcs.unary(out, () -> removal.status(req));
  }

  @Override
  public void detachPeer(DetachPeerRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster peer " + req.getHostname(), () -> removal.detach(req));
  }

  @Override
  public void deleteVolume(io.brickyard.api.agent.v1.DeleteVolumeRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutatingKeyed(out, req.getOptions(), "gluster volume " + req.getVolume(), () -> removal.deleteVolume(req));
  }

  @Override
  public void getHealInfo(io.brickyard.api.agent.v1.GetHealInfoRequest req,
      StreamObserver<io.brickyard.api.agent.v1.HealInfo> out) {
    Rpcs.unary(out, () -> replacement.info(req));
  }

  public io.brickyard.api.agent.v1.HealInfo getHealInfo(io.brickyard.api.agent.v1.GetHealInfoRequest req) {
    return replacement.info(req);
  }

  public OperationResult deleteVolume(io.brickyard.api.agent.v1.DeleteVolumeRequest req) {
    return removal.deleteVolume(req);
  }

  public OperationResult removeBricks(RemoveBricksRequest req) {
    return removal.remove(req);
  }

  public RebalanceStatus getRemoveBricks(GetRemoveBricksRequest req) {
    return removal.status(req);
  }

  public OperationResult detachPeer(DetachPeerRequest req) {
    return removal.detach(req);
  }

  public OperationResult replaceBrick(ReplaceBrickRequest req) {
    return replacement.replace(req);
  }

  public HealStatus getHeal(GetHealRequest req) {
    return replacement.heal(req);
  }

  public OperationResult addBricks(AddBricksRequest req) {
    return growth.addBricks(req);
  }

  public OperationResult rebalance(RebalanceRequest req) {
    return growth.rebalance(req);
  }

  public RebalanceStatus getRebalance(GetRebalanceRequest req) {
    return growth.status(req);
  }

  /** The pool as GetPool reports it. */
  public GlusterPool pool() {
    return pool(new Operation(runner, true));
  }

  /** {@code pool list --xml}; glusterd not answering is a state, not an error. */
  GlusterPool pool(Operation op) {
    return GlusterCli.readXmlIfUp(op, "pool", "list").map(PoolXml::parse)
        .orElseGet(() -> GlusterPool.newBuilder().setGlusterdReachable(false).build());
  }

  private static final String GLUSTERD_DOWN = "glusterd is not running on this node (ensure the glusterd service first)";

  private GlusterPool reachablePool(Operation op) {
    GlusterPool p = pool(op);
    if (!p.getGlusterdReachable()) {
      throw new RefusedException(GLUSTERD_DOWN);
    }
    return p;
  }

  /**
   * {@code pool list} while other peer probes are in flight can answer opRet -22 with no reason
   * (captured: pool-list.during-probes.xml; the next call is fine). Probes run side by side in an
   * apply, so the check before a probe asks again for a few seconds before giving up.
   */
  private GlusterPool settledPool(Operation op) {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        return reachablePool(op);
      } catch (OperationFailedException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        sleeper.sleep(Duration.ofMillis(100));
      }
    }
  }

  /** Whether glusterd knows {@code p} by {@code host} (its first name or any other it was probed by). */
  private static boolean named(GlusterPeer p, String host) {
    return p.getHostname().equalsIgnoreCase(host) || p.getHostnamesList().stream().anyMatch(host::equalsIgnoreCase);
  }

  public OperationResult probePeer(ProbePeerRequest req) {
    String host = GlusterNames.host("hostname", req.getHostname());
    Operation op = new Operation(runner, req.getOptions());
    for (GlusterPeer p : settledPool(op).getPeersList()) {
      if (named(p, host)) {
        return op.unchanged(host + " already in the pool" + (p.getSelf() ? " (this node)"
            : " (" + p.getState() + ", " + (p.getConnected() ? "connected" : "disconnected") + ")"));
      }
    }
    CommandResult r = cli.changeWithRetry(op, List.of("peer", "probe", host));
    String said = r.stdout().strip();
    if (said.contains("already in peer list") || said.contains("Probe on localhost not needed")) {
      // glusterd knew the host under another name (an IP, another alias): nothing changed.
      return op.done(host + ": " + said).toBuilder().setChanged(false).build();
    }
    awaitInCluster(op, host);
    return op.done("probed " + host);
  }

  /**
   * After a probe the new peer goes through "Probe Sent", "Accepted peer request"... before
   * "Peer in Cluster"; a volume create in between fails with lock errors. So a probe is done when
   * the peer is in the cluster and connected (as a careful admin waits), at most ~30 s; if it is
   * not by then, the result carries a warning and the next step's retry takes over.
   */
  private void awaitInCluster(Operation op, String host) {
    if (op.dryRun()) {
      return;
    }
    // Polled every 0.1 s (as the serial recipe does): each poll is one `pool list` (~0.1 s), and
    // the wait is on the critical path of an apply (volumes wait for the probes).
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < until) {
      GlusterPool pool;
      try {
        pool = reachablePool(op);
      } catch (OperationFailedException e) {
        sleeper.sleep(Duration.ofMillis(100)); // busy with another probe: ask again
        continue;
      }
      GlusterPeer peer = pool.getPeersList().stream()
          .filter(p -> named(p, host))
          .findFirst().orElse(null);
      if (peer == null || peer.getConnected() && "Peer in Cluster".equals(peer.getState())) {
        return; // listed under another name (nothing to wait for), or ready
      }
      sleeper.sleep(Duration.ofMillis(100));
    }
    op.warn(host + " was probed but is not 'Peer in Cluster' and connected after 30 s");
  }

  public GlusterVolumes getVolumes(GetVolumesRequest req) {
    Operation op = new Operation(runner, true);
    reachablePool(op);
    List<GlusterVolume> info = VolumeXml.parseInfo(GlusterCli.readXml(op, "volume", "info", "all"));
    if (!req.getWithStatus()) {
      return GlusterVolumes.newBuilder().addAllVolumes(info).build();
    }
    Map<String, VolumeXml.Status> status = info.stream().anyMatch(v -> v.getStatus().equals("Started"))
        ? VolumeXml.parseStatus(GlusterCli.readXml(op, "volume", "status", "all")) : Map.of();
    GlusterVolumes.Builder out = GlusterVolumes.newBuilder();
    for (GlusterVolume v : info) {
      Map<String, VolumeXml.HealCounts> heal = null;
      boolean healable = v.getReplicaCount() > 1 || v.getDisperseCount() > 0;
      if (healable && v.getStatus().equals("Started") && !req.getWithoutHeal()) {
        // Unknown heal counts (-1) are better than failing the whole listing.
        CommandResult r = op.read(GlusterCli.read("volume", "heal", v.getName(), "info", "summary"));
        try {
          heal = r.ok() ? VolumeXml.parseHealSummary(r.stdout()) : null;
        } catch (OperationFailedException e) {
          heal = null;
        }
      }
      out.addVolumes(VolumeXml.merge(v, status.get(v.getName()), heal));
    }
    return out.build();
  }

  /**
   * The one read a volume step's check needs: {@code volume info all --xml}. It also tells whether
   * glusterd answers (the CLI says "Connection failed" otherwise), so no separate {@code pool list}
   * is spent on that: each gluster CLI call costs ~0.1 s, on the critical path of an apply.
   */
  static Optional<GlusterVolume> findVolume(Operation op, String name) {
    String xml = GlusterCli.readXmlIfUp(op, "volume", "info", "all").orElseThrow(() -> new RefusedException(GLUSTERD_DOWN));
    return VolumeXml.parseInfo(xml).stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  public OperationResult ensureVolume(EnsureVolumeRequest req) {
    VolumeLayout want = VolumeLayout.of(req);
    Operation op = new Operation(runner, req.getOptions());
    Optional<GlusterVolume> have = findVolume(op, want.name());
    if (have.isPresent()) {
      List<String> diff = want.differences(have.get());
      if (!diff.isEmpty()) {
        throw new RefusedException("volume " + want.name() + " already exists with a different layout: "
            + String.join("; ", diff) + " (brickyard never reshapes an existing volume)");
      }
      return op.unchanged("volume " + want.name() + " already exists with this layout (" + have.get().getType()
          + ", " + have.get().getStatus() + ")");
    }
    want.warnings().forEach(op::warn);
    cli.changeWithRetry(op, want.createArgs());
    return op.done("created volume " + want.name() + " (" + want.type() + ", " + want.bricks().size() + " bricks)");
  }

  public OperationResult setVolumeOptions(SetVolumeOptionsRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    if (req.getValuesCount() == 0) {
      throw new IllegalArgumentException("values: no options given");
    }
    Map<String, String> want = new TreeMap<>(req.getValuesMap());
    want.forEach(GlusterNames::option);
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume info = findVolume(op, vol).orElseThrow(() -> new RefusedException("volume " + vol + " does not exist"));
    Map<String, String> have = VolumeXml.parseGet(GlusterCli.readXml(op, "volume", "get", vol, "all"));
    int set = 0;
    for (Map.Entry<String, String> e : want.entrySet()) {
      // glusterfs 10.3's 'volume get all' never lists user.* keys; 'volume info' lists them once set
      String current = e.getKey().startsWith("user.") ? info.getOptionsMap().get(e.getKey()) : have.get(e.getKey());
      if (current == null && e.getKey().startsWith("user.")) {
        // not set yet
      } else if (current == null) {
        op.warn("option " + e.getKey() + " is not listed by 'volume get " + vol + " all'; set without comparing");
      } else if (OptionValues.same(current, e.getValue())) {
        continue;
      }
      cli.changeWithRetry(op, List.of("volume", "set", vol, e.getKey(), e.getValue()));
      set++;
    }
    return set == 0 ? op.unchanged(want.size() + " option(s) of " + vol + " already set")
        : op.done("set " + set + " of " + want.size() + " option(s) on " + vol);
  }

  public OperationResult startVolume(StartVolumeRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume v = findVolume(op, vol).orElseThrow(() -> new RefusedException("volume " + vol + " does not exist"));
    if (v.getStatus().equals("Started")) {
      return op.unchanged("volume " + vol + " already started");
    }
    cli.changeWithRetry(op, List.of("volume", "start", vol));
    return op.done("started volume " + vol);
  }

  /** {@code volume stop} (no prompt in script mode): clients lose the volume until it is started again. */
  public OperationResult stopVolume(StopVolumeRequest req) {
    String vol = GlusterNames.volume("volume", req.getVolume());
    Operation op = new Operation(runner, req.getOptions());
    GlusterVolume v = findVolume(op, vol).orElseThrow(() -> new RefusedException("volume " + vol + " does not exist"));
    if (!v.getStatus().equals("Started")) {
      return op.unchanged("volume " + vol + " is not started (" + v.getStatus() + ")");
    }
    cli.changeWithRetry(op, List.of("volume", "stop", vol));
    return op.done("stopped volume " + vol);
  }
}
