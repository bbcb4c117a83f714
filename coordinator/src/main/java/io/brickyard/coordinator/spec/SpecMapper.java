package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.net.Cidr;
import io.brickyard.common.net.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the generic YAML tree to the immutable model by hand, field by field, so that every
 * structural problem (unknown field, wrong type, missing field, unparseable value) is reported at
 * its path. Semantic rules live in {@link SpecValidator}.
 */
final class SpecMapper {
  static final String API_VERSION = "brickyard/v1";
  static final String KIND = "Cluster";
  static final List<String> ROOT_FIELDS =
      List.of("apiVersion", "kind", "metadata", "nodes", "firewall", "storage", "volumes", "nfs", "coordination");
  /**
   * Top-level keys reserved for later releases: refused with a clear message, not as typos (none
   * in this version; {@code nfs} was until its section became real).
   */
  static final Map<String, String> RESERVED = Map.of();
  static final List<String> METADATA_FIELDS = List.of("name");
  static final List<String> NODE_FIELDS = List.of("name", "address", "glusterAddress");
  static final List<String> FIREWALL_FIELDS = List.of("zone", "trustedSources", "services");
  static final List<String> VOLUME_FIELDS = List.of("name", "type", "replica", "arbiter", "disperse",
      "redundancy", "transport", "bricks", "options", "allowSameNodeReplicas", "snapshots");
  static final List<String> SNAPSHOT_FIELDS = List.of("poolLimitPercent", "schedules");
  static final List<String> SCHEDULE_FIELDS = List.of("name", "every", "keep");

  private final YamlReader r = new YamlReader();

  List<Issue> issues() {
    return r.issues();
  }

  /** The model, or null when the document is too broken to build one (issues say why). */
  ClusterSpec map(Object root) {
    if (root == null) {
      r.error(Issue.DOCUMENT, "the document is empty");
      return null;
    }
    if (!(root instanceof Map<?, ?>)) {
      r.error(Issue.DOCUMENT, "expected a mapping at the top level, got " + YamlReader.describe(root));
      return null;
    }
    Map<String, Object> m = r.mapping(root, "");
    for (String k : m.keySet()) {
      if (RESERVED.containsKey(k)) {
        r.error(k, RESERVED.get(k));
      } else if (!ROOT_FIELDS.contains(k)) {
        r.error(k, YamlReader.unknown("field", k, ROOT_FIELDS));
      }
    }
    String api = r.string(m, "apiVersion", "", true);
    if (api != null && !api.equals(API_VERSION)) {
      r.error("apiVersion", "unsupported apiVersion '" + api + "'; this Brickyard reads " + API_VERSION);
    }
    String kind = r.string(m, "kind", "", true);
    if (kind != null && !kind.equals(KIND)) {
      r.error("kind", "unsupported kind '" + kind + "'; expected " + KIND);
    }
    String name = null;
    Object meta = r.get(m, "metadata", "", true);
    if (meta != null) {
      Map<String, Object> mm = r.mapping(meta, "metadata");
      if (mm != null) {
        r.onlyKnown(mm, "metadata", METADATA_FIELDS);
        name = r.string(mm, "name", "metadata", true);
      }
    }
    List<NodeSpec> nodes = nodes(m);
    Optional<FirewallSpec> firewall = firewall(m.get("firewall"));
    StorageSpec storage = new StorageMapper(r).storage(m.get("storage"), "storage");
    List<VolumeSpec> volumes = volumes(m);
    Optional<NfsSpec> nfs = new NfsMapper(r).nfs(m.get("nfs"), "nfs", nodes.stream().map(NodeSpec::name).toList());
    Optional<CoordinationSpec> coordination = new CoordinationMapper(r).coordination(m.get("coordination"),
        "coordination");
    if (name == null || firewall == null || nfs == null || coordination == null) {
      return null;
    }
    return new ClusterSpec(name, nodes, firewall, storage, volumes, nfs, coordination);
  }

  private List<NodeSpec> nodes(Map<String, Object> m) {
    List<NodeSpec> out = new ArrayList<>();
    List<Object> l = r.list(m, "nodes", "", true);
    if (l == null) {
      return out;
    }
    for (int i = 0; i < l.size(); i++) {
      String path = at("nodes", i);
      Map<String, Object> n = r.mapping(l.get(i), path);
      if (n == null) {
        continue;
      }
      r.onlyKnown(n, path, NODE_FIELDS);
      String name = r.string(n, "name", path, true);
      String addrText = r.string(n, "address", path, false);
      HostPort address = addrText == null
          ? (name == null ? null : new HostPort(name, HostPort.AGENT_PORT))
          : r.parse(addrText, at(path, "address"), t -> HostPort.parse(t, HostPort.AGENT_PORT));
      String gluster = r.string(n, "glusterAddress", path, false);
      if (name != null && address != null) {
        out.add(new NodeSpec(name, address, gluster == null ? name : gluster));
      }
    }
    return out;
  }

  /** Optional.empty() when absent (firewall not managed), null when broken. */
  private Optional<FirewallSpec> firewall(Object value) {
    if (value == null) {
      return Optional.empty();
    }
    Map<String, Object> m = r.mapping(value, "firewall");
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, "firewall", FIREWALL_FIELDS);
    String zone = r.string(m, "zone", "firewall", false);
    List<Cidr> sources = new ArrayList<>();
    List<String> texts = r.strings(m, "trustedSources", "firewall", true);
    if (texts != null) {
      for (int i = 0; i < texts.size(); i++) {
        Cidr c = r.parse(texts.get(i), at("firewall.trustedSources", i), Cidr::parse);
        if (c != null) {
          sources.add(c);
        }
      }
    }
    List<String> services = r.strings(m, "services", "firewall", false);
    return Optional.of(new FirewallSpec(Optional.ofNullable(zone), sources,
        services == null ? FirewallSpec.DEFAULT_SERVICES : services));
  }

  private List<VolumeSpec> volumes(Map<String, Object> m) {
    List<VolumeSpec> out = new ArrayList<>();
    if (m.get("volumes") == null) {
      return out;
    }
    List<Object> l = r.list(m.get("volumes"), "volumes");
    if (l == null) {
      return out;
    }
    for (int i = 0; i < l.size(); i++) {
      VolumeSpec v = volume(l.get(i), at("volumes", i));
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  private VolumeSpec volume(Object value, String path) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, VOLUME_FIELDS);
    String name = r.string(m, "name", path, true);
    String typeText = r.string(m, "type", path, true);
    VolumeType type = null;
    if (typeText != null) {
      type = VolumeType.fromYaml(typeText);
      if (type == null) {
        r.error(at(path, "type"), YamlReader.unknown("volume type", typeText, VolumeType.yamlNames()));
      }
    }
    Integer replica = r.integer(m, "replica", path, false);
    Integer arbiter = r.integer(m, "arbiter", path, false);
    Integer disperse = r.integer(m, "disperse", path, false);
    Integer redundancy = r.integer(m, "redundancy", path, false);
    String transport = r.string(m, "transport", path, false);
    List<Brick> bricks = new ArrayList<>();
    List<String> brickTexts = r.strings(m, "bricks", path, true);
    if (brickTexts != null) {
      for (int i = 0; i < brickTexts.size(); i++) {
        Brick b = r.parse(brickTexts.get(i), at(at(path, "bricks"), i), Brick::parse);
        if (b != null) {
          bricks.add(b);
        }
      }
    }
    Map<String, String> options = options(m.get("options"), at(path, "options"));
    boolean allowSame = r.bool(m, "allowSameNodeReplicas", path, false);
    java.util.Optional<SnapshotPolicy> snapshots = m.get("snapshots") == null ? java.util.Optional.empty()
        : java.util.Optional.ofNullable(snapshots(m.get("snapshots"), at(path, "snapshots")));
    if (name == null || type == null) {
      return null;
    }
    // Defaults that follow from the type: an arbiter volume is replica 3 arbiter 1, and a single
    // disperse set spans all its bricks.
    int rep = replica != null ? replica : (type == VolumeType.ARBITER ? 3 : 0);
    int arb = arbiter != null ? arbiter : (type == VolumeType.ARBITER ? 1 : 0);
    int disp = disperse != null ? disperse : (type == VolumeType.DISPERSE ? bricks.size() : 0);
    return new VolumeSpec(name, type, rep, arb, disp, redundancy == null ? 0 : redundancy,
        transport == null ? VolumeSpec.DEFAULT_TRANSPORT : transport, bricks, options, allowSame, snapshots);
  }

  /** {@code snapshots: {poolLimitPercent: 80, schedules: [{name: hourly, every: 1h, keep: 24}]}}. */
  private SnapshotPolicy snapshots(Object value, String path) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, SNAPSHOT_FIELDS);
    Integer limit = r.integer(m, "poolLimitPercent", path, false);
    List<SnapshotPolicy.Schedule> schedules = new ArrayList<>();
    List<Object> l = r.list(m, "schedules", path, true);
    if (l != null) {
      for (int i = 0; i < l.size(); i++) {
        String sp = at(at(path, "schedules"), i);
        Map<String, Object> s = r.mapping(l.get(i), sp);
        if (s == null) {
          continue;
        }
        r.onlyKnown(s, sp, SCHEDULE_FIELDS);
        String n = r.string(s, "name", sp, true);
        String every = r.string(s, "every", sp, true);
        Integer keep = r.integer(s, "keep", sp, true);
        java.time.Duration d = every == null ? null : r.parse(every, at(sp, "every"), SnapshotPolicy::interval);
        if (n != null && d != null && keep != null) {
          schedules.add(new SnapshotPolicy.Schedule(n, d, keep));
        }
      }
    }
    return new SnapshotPolicy(limit == null ? SnapshotPolicy.DEFAULT_POOL_LIMIT : limit, schedules);
  }

  /** Volume options: gluster keys to scalar values, kept as the text written. */
  private Map<String, String> options(Object value, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return out;
    }
    m.forEach((k, v) -> {
      String p = path + "[" + k + "]";
      if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        out.put(k, String.valueOf(v));
      } else {
        r.error(p, "expected a scalar value, got " + YamlReader.describe(v));
      }
    });
    return out;
  }
}
