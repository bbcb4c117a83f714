package io.brickyard.coordinator.spec;

import io.brickyard.common.net.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a {@link ClusterSpec} back to YAML in the spec's own vocabulary, defaults included. The
 * output parses back to an equal spec, so it doubles as "show me what Brickyard understood".
 */
final class CanonicalForm {
  private CanonicalForm() {}

  static String yaml(ClusterSpec spec) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(0);
    o.setWidth(Integer.MAX_VALUE);
    o.setLineBreak(DumperOptions.LineBreak.UNIX);
    o.setDereferenceAliases(true); // shared default lists must not become &id001 anchors
    return new Yaml(o).dump(tree(spec));
  }

  static Map<String, Object> tree(ClusterSpec spec) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", SpecMapper.API_VERSION);
    root.put("kind", SpecMapper.KIND);
    root.put("metadata", Map.of("name", spec.name()));
    List<Object> nodes = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", n.name());
      m.put("address", n.address().toString());
      m.put("glusterAddress", n.glusterAddress());
      nodes.add(m);
    }
    root.put("nodes", nodes);
    spec.firewall().ifPresent(f -> {
      Map<String, Object> m = new LinkedHashMap<>();
      f.zone().ifPresent(z -> m.put("zone", z));
      m.put("trustedSources", f.trustedSources().stream().map(Cidr::toString).toList());
      m.put("services", f.services());
      root.put("firewall", m);
    });
    Map<String, Object> storage = new LinkedHashMap<>();
    storage.put("defaults", entries(spec.storage().defaults()));
    Map<String, Object> overrides = new LinkedHashMap<>();
    spec.storage().nodes().forEach((k, v) -> overrides.put(k, entries(v)));
    storage.put("nodes", overrides);
    root.put("storage", storage);
    List<Object> volumes = new ArrayList<>();
    for (VolumeSpec v : spec.volumes()) {
      volumes.add(volume(v));
    }
    root.put("volumes", volumes);
    spec.nfs().ifPresent(n -> root.put("nfs", nfs(spec, n))); // only when present: hashes of specs without it stay
    spec.coordination().ifPresent(c -> root.put("coordination", coordination(c))); // the same
    return root;
  }

  /** Members in id order (their order as written means nothing), every default spelled out. */
  private static Map<String, Object> coordination(CoordinationSpec c) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> members = new ArrayList<>();
    c.members().stream().sorted(Comparator.comparingInt(CoordinationSpec.Member::id)).forEach(x -> {
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("id", x.id());
      mm.put("address", x.address());
      members.add(mm);
    });
    m.put("members", members);
    m.put("sessionTimeout", c.sessionTimeoutSeconds());
    m.put("failback", c.failback().yamlName());
    m.put("failbackDelay", c.failbackDelaySeconds());
    return m;
  }

  /**
   * The NFS section with every default spelled out. Lists that are sets (nodes, minor versions,
   * protocols) are written in one order (nodes as in {@code nodes}, numbers ascending), so their
   * order as written does not change the hash; exports, clients and VIPs keep theirs.
   */
  private static Map<String, Object> nfs(ClusterSpec spec, NfsSpec n) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> nodes = new ArrayList<>(n.nodes());
    List<String> order = spec.nodes().stream().map(NodeSpec::name).toList();
    nodes.sort(Comparator.comparingInt((String s) -> order.indexOf(s) < 0 ? Integer.MAX_VALUE : order.indexOf(s))
        .thenComparing(Comparator.naturalOrder()));
    m.put("nodes", nodes);
    m.put("gracePeriod", n.gracePeriodSeconds());
    m.put("leaseLifetime", n.leaseLifetimeSeconds());
    m.put("minorVersions", n.minorVersions().stream().sorted().toList());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("volume", n.recovery().volume());
    r.put("brickDirectory", n.recovery().brickDirectory().toString());
    r.put("mountPoint", n.recovery().mountPoint().toString());
    m.put("recovery", r);
    List<Object> exports = new ArrayList<>();
    for (ExportSpec e : n.exports()) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("volume", e.volume());
      em.put("pseudo", e.pseudoPath());
      em.put("access", e.access().yamlName());
      em.put("squash", e.squash().yamlName());
      em.put("protocols", e.protocols().stream().sorted().toList());
      List<Object> clients = new ArrayList<>();
      for (ExportSpec.Client c : e.clients()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("cidrs", c.cidrs().stream().map(Cidr::toString).toList());
        cm.put("access", c.access().yamlName());
        clients.add(cm);
      }
      em.put("clients", clients);
      exports.add(em);
    }
    m.put("exports", exports);
    List<Object> vips = new ArrayList<>();
    for (VipSpec v : n.vips()) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("address", v.address().toString());
      vm.put("home", v.home());
      v.networkInterface().ifPresent(i -> vm.put("interface", i));
      vips.add(vm);
    }
    m.put("vips", vips);
    return m;
  }

  private static List<Object> entries(List<StorageEntry> entries) {
    List<Object> out = new ArrayList<>();
    for (StorageEntry e : entries) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (e instanceof LvmStorage l) {
        m.put("volumeGroup", l.volumeGroup());
        m.put("devices", l.devices());
        m.put("wipe", l.wipe());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", l.thinPool().name());
        p.put("size", l.thinPool().size().lvmArgument());
        l.thinPool().metadataSize().ifPresent(s -> p.put("metadataSize", s.lvmArgument()));
        l.thinPool().chunkSize().ifPresent(s -> p.put("chunkSize", s.lvmArgument()));
        p.put("zero", l.thinPool().zero());
        l.thinPool().autoextend().ifPresent(a -> {
          Map<String, Object> am = new LinkedHashMap<>(); // Map.of's order differs between JVM runs
          am.put("threshold", a.threshold());
          am.put("percent", a.percent());
          p.put("autoextend", am);
        });
        m.put("thinPool", p);
        List<Object> thins = new ArrayList<>();
        for (LvmStorage.ThinVolume t : l.thinVolumes()) {
          Map<String, Object> tm = new LinkedHashMap<>();
          tm.put("name", t.name());
          tm.put("virtualSize", t.virtualSize().lvmArgument());
          tm.put("mountPoint", t.mountPoint());
          tm.put("fstabByUuid", t.fstabByUuid());
          thins.add(tm);
        }
        m.put("thinVolumes", thins);
      } else if (e instanceof XfsDevice x) {
        m.put("device", x.device());
        m.put("wipe", x.wipe());
        m.put("mountPoint", x.mountPoint());
        m.put("fstabByUuid", x.fstabByUuid());
      }
      if (!e.pins().isEmpty()) { // only when present, so the hash of a spec without pins is unchanged
        Map<String, Object> pins = new LinkedHashMap<>();
        e.devices().stream().filter(e.pins()::containsKey).forEach(d -> {
          Map<String, Object> pm = new LinkedHashMap<>();
          pm.put("wwn", e.pin(d).wwn());
          pm.put("serial", e.pin(d).serial());
          pins.put(d, pm);
        });
        m.put("diskPins", pins);
      }
      Map<String, Object> mkfs = new LinkedHashMap<>();
      mkfs.put("inodeSize", e.mkfs().inodeSize());
      mkfs.put("namingSize", e.mkfs().namingSize());
      e.mkfs().raid().ifPresent(r -> {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("stripeUnit", r.stripeUnit().lvmArgument());
        rm.put("stripeWidth", r.stripeWidth());
        mkfs.put("raid", rm);
      });
      m.put("mkfs", mkfs);
      m.put("mountOptions", e.mountOptions());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> volume(VolumeSpec v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.name());
    m.put("type", v.type().yamlName());
    putIfSet(m, "replica", v.replica());
    putIfSet(m, "arbiter", v.arbiter());
    putIfSet(m, "disperse", v.disperse());
    putIfSet(m, "redundancy", v.redundancy());
    m.put("transport", v.transport());
    m.put("bricks", v.bricks().stream().map(Brick::toString).toList());
    m.put("options", v.options());
    m.put("allowSameNodeReplicas", v.allowSameNodeReplicas());
    v.snapshots().ifPresent(sp -> {
      Map<String, Object> snap = new LinkedHashMap<>();
      snap.put("poolLimitPercent", sp.poolLimitPercent());
      snap.put("schedules", sp.schedules().stream().map(s -> {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("name", s.name());
        sm.put("every", SnapshotPolicy.text(s.every()));
        sm.put("keep", s.keep());
        return sm;
      }).toList());
      m.put("snapshots", snap);
    });
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String key, int value) {
    if (value != 0) {
      m.put(key, value);
    }
  }
}
