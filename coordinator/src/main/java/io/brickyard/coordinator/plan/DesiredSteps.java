package io.brickyard.coordinator.plan;

import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureBrickDirectoryRequest;
import io.brickyard.api.agent.v1.EnsureMountRequest;
import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.EnsureServiceRequest;
import io.brickyard.api.agent.v1.EnsureThinPoolRequest;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.EnsureVolumeGroupRequest;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.EnsureXfsRequest;
import io.brickyard.api.agent.v1.ExpectedDisk;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.SetVolumeOptionsRequest;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.coordinator.nodes.NodeAddress;
import io.brickyard.coordinator.spec.Brick;
import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.DiskPin;
import io.brickyard.coordinator.spec.FirewallSpec;
import io.brickyard.coordinator.spec.LvmStorage;
import io.brickyard.coordinator.spec.MkfsOptions;
import io.brickyard.coordinator.spec.NodeSpec;
import io.brickyard.coordinator.spec.StorageEntry;
import io.brickyard.coordinator.spec.VolumeSpec;
import io.brickyard.coordinator.spec.XfsDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a validated spec into the ordered steps that make it true. Per node: chains of steps
 * where each depends on the previous one (firewalld before its rules; PV, VG, pool, LV, mkfs, mount,
 * brick dir). Cluster-wide: peer probes, then per volume create, options, start, all asked of
 * the anchor node's agent.
 */
public final class DesiredSteps {
  private DesiredSteps() {}

  /** A node's chains; steps within a chain depend on their predecessor, chains are independent. */
  public record NodeSteps(NodeSpec node, NodeAddress target, List<List<Step>> chains) {}

  public static NodeAddress address(NodeSpec n) {
    return new NodeAddress(n.name(), n.address().host(), n.address().port());
  }

  public static NodeSteps forNode(ClusterSpec spec, NodeSpec n) {
    NodeAddress t = address(n);
    String p = n.name() + "/";
    List<List<Step>> chains = new ArrayList<>();
    List<Step> base = new ArrayList<>();
    if (spec.firewall().isPresent()) { // firewalld must run before its rules can be ensured
      base.add(service(t, p, "firewalld"));
      FirewallSpec fw = spec.firewall().get();
      EnsureAllowedRequest.Builder rq = EnsureAllowedRequest.newBuilder().setZone(fw.zone().orElse(""))
          .addAllServices(fw.services());
      fw.trustedSources().forEach(c -> rq.addSourceCidrs(c.toString()));
      EnsureAllowedRequest req = rq.build();
      base.add(new Step(p + "firewall/allow", n.name(), "firewall", "firewall.allow",
          "allow " + String.join(",", fw.services()) + " from " + String.join(",", req.getSourceCidrsList())
              + " (rich rules, permanent + runtime)", t,
          (c, a, o, d) -> c.firewall(a, d).ensureAllowed(req.toBuilder().setOptions(o).build()), false));
    }
    if (!base.isEmpty()) {
      chains.add(base);
    }
    chains.add(List.of(service(t, p, "glusterd"))); // independent of the firewall chain
    for (StorageEntry e : spec.storageFor(n.name())) {
      if (e instanceof XfsDevice x) {
        List<Step> chain = new ArrayList<>();
        chain.add(xfs(t, p, x.device(), x.wipe(), x.mkfs(), "", expected(x.pin(x.device()))));
        chain.addAll(mountAndBricks(spec, n, t, p, e.mounts().get(0), e.mountOptions()));
        chains.add(chain);
      } else if (e instanceof LvmStorage l) {
        chains.addAll(lvm(spec, n, t, p, l));
      }
    }
    return new NodeSteps(n, t, chains);
  }

  private static Step service(NodeAddress t, String p, String unit) {
    EnsureServiceRequest req = EnsureServiceRequest.newBuilder().setUnit(unit).setRunning(true).setEnabled(true).build();
    return new Step(p + "services/" + unit, t.name(), "services", "service.ensure", unit + " running and enabled", t,
        (c, a, o, d) -> c.services(a, d).ensureService(req.toBuilder().setOptions(o).build()), false);
  }

  /** The spec's pin of a disk, as the agent checks it before any device step. */
  private static ExpectedDisk expected(DiskPin pin) {
    return ExpectedDisk.newBuilder().setWwn(pin.wwn()).setSerial(pin.serial()).build();
  }

  private static Step xfs(NodeAddress t, String p, String device, boolean wipe, MkfsOptions m, String label,
      ExpectedDisk disk) {
    EnsureXfsRequest.Builder b = EnsureXfsRequest.newBuilder().setDevice(device).setWipe(wipe).setExpectedDisk(disk)
        .setInodeSize(m.inodeSize()).setNamingSize(m.namingSize()).setLabel(label);
    m.raid().ifPresent(r -> b.setStripeUnit(r.stripeUnit().bytes() / 1024 + "k").setStripeWidth(r.stripeWidth()));
    EnsureXfsRequest req = b.build();
    return new Step(p + "storage/xfs:" + device, t.name(), "storage", "xfs.ensure",
        "XFS on " + device + " (-i size=" + m.inodeSize() + " -n size=" + m.namingSize() + ")", t,
        (c, a, o, d) -> c.storage(a, d).ensureXfs(req.toBuilder().setOptions(o).build()), wipe);
  }

  private static List<Step> mountAndBricks(ClusterSpec spec, NodeSpec n, NodeAddress t, String p,
      StorageEntry.Mount m, List<String> options) {
    List<Step> out = new ArrayList<>();
    EnsureMountRequest req = EnsureMountRequest.newBuilder().setDevice(m.device()).setMountPoint(m.mountPoint())
        .setFsType("xfs").addAllMountOptions(options).setFstabByUuid(m.fstabByUuid()).build();
    out.add(new Step(p + "storage/mount:" + m.mountPoint(), n.name(), "storage", "mount.ensure",
        m.device() + " mounted at " + m.mountPoint() + " with an fstab line (" + String.join(",", options) + ")", t,
        (c, a, o, d) -> c.storage(a, d).ensureMount(req.toBuilder().setOptions(o).build()), false));
    // Every brick filesystem gets <mountPoint>/brick, the directory the recipe, heketi and
    // gluster-ansible all use as the brick, so a storage-only spec prepares ready-to-use bricks;
    // plus any other brick path a volume names under this mount.
    java.util.LinkedHashMap<String, String> dirs = new java.util.LinkedHashMap<>();
    dirs.put(m.mountPoint() + "/brick", "brick directory " + m.mountPoint() + "/brick");
    for (VolumeSpec v : spec.volumes()) {
      for (Brick b : v.bricks()) {
        boolean mine = spec.nodeForBrickHost(b.host()).map(x -> x.name().equals(n.name())).orElse(false);
        if (mine && b.path().startsWith(m.mountPoint() + "/")) {
          dirs.put(b.path(), "brick directory " + b.path() + " for volume " + v.name());
        }
      }
    }
    dirs.forEach((path, what) -> {
      EnsureBrickDirectoryRequest br = EnsureBrickDirectoryRequest.newBuilder().setPath(path).build();
      out.add(new Step(p + "storage/brick:" + path, n.name(), "storage", "brick.ensure", what, t,
          (c, a, o, d) -> c.storage(a, d).ensureBrickDirectory(br.toBuilder().setOptions(o).build()), false));
    });
    return out;
  }

  private static List<List<Step>> lvm(ClusterSpec spec, NodeSpec n, NodeAddress t, String p, LvmStorage l) {
    List<Step> chain = new ArrayList<>();
    for (String dev : l.devices()) {
      EnsurePhysicalVolumeRequest req = EnsurePhysicalVolumeRequest.newBuilder().setDevice(dev).setWipe(l.wipe())
          .setExpectedDisk(expected(l.pin(dev))).build();
      chain.add(new Step(p + "storage/pv:" + dev, n.name(), "storage", "lvm.pv", "LVM physical volume on " + dev, t,
          (c, a, o, d) -> c.lvm(a, d).ensurePhysicalVolume(req.toBuilder().setOptions(o).build()), l.wipe()));
    }
    String vg = l.volumeGroup();
    EnsureVolumeGroupRequest vgr = EnsureVolumeGroupRequest.newBuilder().setName(vg).addAllDevices(l.devices()).build();
    chain.add(new Step(p + "storage/vg:" + vg, n.name(), "storage", "lvm.vg",
        "volume group " + vg + " on " + String.join(",", l.devices()), t,
        (c, a, o, d) -> c.lvm(a, d).ensureVolumeGroup(vgr.toBuilder().setOptions(o).build()), false));
    LvmStorage.ThinPool tp = l.thinPool();
    EnsureThinPoolRequest.Builder pb = EnsureThinPoolRequest.newBuilder().setVg(vg).setName(tp.name())
        .setSize(tp.size().lvmArgument()).setZero(tp.zero());
    tp.metadataSize().ifPresent(s -> pb.setMetadataSize(s.lvmArgument()));
    tp.chunkSize().ifPresent(s -> pb.setChunkSize(s.lvmArgument()));
    tp.autoextend().ifPresent(x -> pb.setAutoextendThreshold(x.threshold()).setAutoextendPercent(x.percent()));
    EnsureThinPoolRequest pr = pb.build();
    chain.add(new Step(p + "storage/thinpool:" + vg + "/" + tp.name(), n.name(), "storage", "lvm.thinpool",
        "thin pool " + vg + "/" + tp.name() + " (" + tp.size().lvmArgument() + (tp.zero() ? "" : ", --zero n") + ")", t,
        (c, a, o, d) -> c.lvm(a, d).ensureThinPool(pr.toBuilder().setOptions(o).build()), false));
    List<List<Step>> chains = new ArrayList<>();
    Step poolStep = chain.get(chain.size() - 1);
    // Thin volumes depend on the pool; each thin volume's own chain follows the pool chain.
    for (int i = 0; i < l.thinVolumes().size(); i++) {
      LvmStorage.ThinVolume tv = l.thinVolumes().get(i);
      EnsureThinVolumeRequest tr = EnsureThinVolumeRequest.newBuilder().setVg(vg).setPool(tp.name()).setName(tv.name())
          .setVirtualSize(tv.virtualSize().lvmArgument()).build();
      List<Step> sub = new ArrayList<>();
      sub.add(new Step(p + "storage/thinlv:" + vg + "/" + tv.name(), n.name(), "storage", "lvm.thinlv",
          "thin LV " + vg + "/" + tv.name() + " (virtual " + tv.virtualSize().lvmArgument() + ") in " + tp.name(), t,
          (c, a, o, d) -> c.lvm(a, d).ensureThinVolume(tr.toBuilder().setOptions(o).build()), false));
      String dev = "/dev/" + vg + "/" + tv.name();
      sub.add(xfs(t, p, dev, false, l.mkfs(), "", ExpectedDisk.getDefaultInstance()));
      sub.addAll(mountAndBricks(spec, n, t, p, new StorageEntry.Mount(dev, tv.mountPoint(), tv.fstabByUuid()),
          l.mountOptions()));
      if (i == 0) {
        chain.addAll(sub);
        chains.add(chain);
      } else {
        // A separate chain that re-lists the pool step only as its dependency marker (not run twice).
        chains.add(withDependency(poolStep, sub));
      }
    }
    if (l.thinVolumes().isEmpty()) {
      chains.add(chain);
    }
    return chains;
  }

  /** Marks {@code sub} as depending on {@code dep} without running {@code dep} again. */
  private static List<Step> withDependency(Step dep, List<Step> sub) {
    List<Step> c = new ArrayList<>();
    c.add(new Step(dep.id(), dep.node(), dep.phase(), "dependency", dep.description(), dep.target(), null, false));
    c.addAll(sub);
    return c;
  }

  /** Peer probes from the anchor, then per volume: create, options, start. */
  public static List<Step> cluster(ClusterSpec spec, NodeSpec anchor) {
    NodeAddress t = address(anchor);
    List<Step> out = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      if (n.name().equals(anchor.name())) {
        continue;
      }
      ProbePeerRequest req = ProbePeerRequest.newBuilder().setHostname(n.glusterAddress()).build();
      out.add(new Step("cluster/peer:" + n.name(), "cluster", "peers", "gluster.peer.probe",
          "peer probe " + n.glusterAddress() + " from " + anchor.name(), t,
          (c, a, o, d) -> c.gluster(a, d).probePeer(req.toBuilder().setOptions(o).build()), false));
    }
    for (VolumeSpec v : spec.volumes()) {
      EnsureVolumeRequest.Builder b = EnsureVolumeRequest.newBuilder().setName(v.name()).setType(v.type().yamlName())
          .setReplica(v.replica()).setArbiter(v.arbiter()).setDisperse(v.disperse()).setRedundancy(v.redundancy())
          .setTransport(v.transport()).setForce(v.allowSameNodeReplicas());
      for (Brick br : v.bricks()) {
        String host = spec.nodeForBrickHost(br.host()).map(NodeSpec::glusterAddress).orElse(br.host());
        b.addBricks(host + ":" + br.path());
      }
      EnsureVolumeRequest req = b.build();
      out.add(new Step("cluster/volume:" + v.name(), "cluster", "volumes", "gluster.volume.create",
          "volume " + v.name() + " (" + v.type().yamlName() + ", " + v.bricks().size() + " bricks)", t,
          (c, a, o, d) -> c.gluster(a, d).ensureVolume(req.toBuilder().setOptions(o).build()), false));
      if (!v.options().isEmpty()) {
        SetVolumeOptionsRequest so = SetVolumeOptionsRequest.newBuilder().setVolume(v.name()).putAllValues(v.options()).build();
        out.add(new Step("cluster/options:" + v.name(), "cluster", "volumes", "gluster.volume.set",
            "volume " + v.name() + " options " + v.options(), t,
            (c, a, o, d) -> c.gluster(a, d).setVolumeOptions(so.toBuilder().setOptions(o).build()), false));
      }
      StartVolumeRequest st = StartVolumeRequest.newBuilder().setVolume(v.name()).build();
      out.add(new Step("cluster/start:" + v.name(), "cluster", "volumes", "gluster.volume.start",
          "volume " + v.name() + " started", t,
          (c, a, o, d) -> c.gluster(a, d).startVolume(st.toBuilder().setOptions(o).build()), false));
    }
    return out;
  }

  /** Nodes hosting bricks of a volume. */
  public static List<String> brickNodes(ClusterSpec spec, VolumeSpec v) {
    return v.bricks().stream().map(b -> spec.nodeForBrickHost(b.host()).map(NodeSpec::name).orElse(b.host()))
        .distinct().toList();
  }
}
