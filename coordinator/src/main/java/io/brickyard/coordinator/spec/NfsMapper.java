package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.net.Cidr;
import io.brickyard.coordinator.spec.ExportSpec.Access;
import io.brickyard.coordinator.spec.ExportSpec.Client;
import io.brickyard.coordinator.spec.ExportSpec.Squash;
import io.brickyard.coordinator.spec.NfsSpec.Recovery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the {@code nfs:} section. Every default is applied here (nodes, tunables, recovery store,
 * pseudo paths, access, squash, protocols, a client's access), so a spec that leaves a value out
 * and one that spells the default are equal. Ranges and cross-references are {@link NfsRules}'.
 */
final class NfsMapper {
  static final List<String> NFS_FIELDS =
      List.of("nodes", "gracePeriod", "leaseLifetime", "minorVersions", "recovery", "exports", "vips");
  static final List<String> RECOVERY_FIELDS = List.of("volume", "brickDirectory", "mountPoint");
  static final List<String> EXPORT_FIELDS = List.of("volume", "pseudo", "access", "squash", "protocols", "clients");
  static final List<String> CLIENT_FIELDS = List.of("cidrs", "access");
  static final List<String> VIP_FIELDS = List.of("address", "home", "interface");

  private final YamlReader r;

  NfsMapper(YamlReader r) {
    this.r = r;
  }

  /**
   * Optional.empty() when absent (no NFS service), null when broken (reported).
   *
   * @param specNodes the names of the spec's nodes: the default {@code nfs.nodes}
   */
  Optional<NfsSpec> nfs(Object value, String path, List<String> specNodes) {
    if (value == null) {
      return Optional.empty();
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, NFS_FIELDS);
    List<String> nodes = m.get("nodes") == null ? specNodes : r.strings(m, "nodes", path, false);
    Integer grace = r.integer(m, "gracePeriod", path, false);
    Integer lease = r.integer(m, "leaseLifetime", path, false);
    List<Integer> minors = m.get("minorVersions") == null ? NfsSpec.DEFAULT_MINOR_VERSIONS
        : r.integers(m, "minorVersions", path);
    Recovery recovery = recovery(m.get("recovery"), at(path, "recovery"));
    List<ExportSpec> exports = new ArrayList<>();
    boolean ok = each(m, "exports", path, (v, p) -> add(exports, export(v, p)));
    List<VipSpec> vips = new ArrayList<>();
    ok &= each(m, "vips", path, (v, p) -> add(vips, vip(v, p)));
    if (!ok || nodes == null || minors == null || recovery == null || m.get("gracePeriod") != null && grace == null
        || m.get("leaseLifetime") != null && lease == null) {
      return null;
    }
    return Optional.of(new NfsSpec(nodes, grace == null ? NfsSpec.DEFAULT_GRACE_SECONDS : grace,
        lease == null ? NfsSpec.DEFAULT_LEASE_SECONDS : lease, minors, recovery, exports, vips));
  }

  private interface Element {
    /** Maps one list element; false when it was broken (reported). */
    boolean map(Object value, String path);
  }

  private static <T> boolean add(List<T> out, T value) {
    if (value == null) {
      return false;
    }
    out.add(value);
    return true;
  }

  /** Maps every element of an optional list; false when the list or any element was broken. */
  private boolean each(Map<String, Object> m, String key, String path, Element element) {
    if (m.get(key) == null) {
      return true;
    }
    List<Object> l = r.list(m.get(key), at(path, key));
    if (l == null) {
      return false;
    }
    boolean ok = true;
    for (int i = 0; i < l.size(); i++) {
      ok &= element.map(l.get(i), at(at(path, key), i));
    }
    return ok;
  }

  private Recovery recovery(Object value, String path) {
    if (value == null) {
      return Recovery.defaults();
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, RECOVERY_FIELDS);
    String volume = r.string(m, "volume", path, false);
    String brick = r.string(m, "brickDirectory", path, false);
    String mount = r.string(m, "mountPoint", path, false);
    if (m.get("volume") != null && volume == null || m.get("brickDirectory") != null && brick == null
        || m.get("mountPoint") != null && mount == null) {
      return null;
    }
    // Path.of keeps the text for NfsRules to judge, but must not throw on what it cannot hold (a NUL)
    Path brickPath = path(brick == null ? Recovery.DEFAULT_BRICK : brick, at(path, "brickDirectory"));
    Path mountPath = path(mount == null ? Recovery.DEFAULT_MOUNT : mount, at(path, "mountPoint"));
    if (brickPath == null || mountPath == null) {
      return null;
    }
    return new Recovery(volume == null ? Recovery.DEFAULT_VOLUME : volume, brickPath, mountPath);
  }

  /**
   * The text as a Path, or null after reporting why not. Refused here (not in NfsRules): what
   * {@link Path#of} would normalize away ("//", a trailing '/') so that the rules see the text as written.
   */
  private Path path(String text, String path) {
    String problem = Names.absolutePath(text);
    if (problem != null) {
      r.error(path, problem);
      return null;
    }
    return Path.of(text);
  }

  private ExportSpec export(Object value, String path) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, EXPORT_FIELDS);
    String volume = r.string(m, "volume", path, true);
    String pseudo = r.string(m, "pseudo", path, false);
    Access access = access(m, path, Access.RW);
    Squash squash = Squash.ROOT_SQUASH;
    String squashText = r.string(m, "squash", path, false);
    if (squashText != null) {
      squash = Squash.fromYaml(squashText);
      if (squash == null) {
        r.error(at(path, "squash"), YamlReader.unknown("squash", squashText,
            Arrays.stream(Squash.values()).map(Squash::yamlName).toList()));
      }
    }
    List<Integer> protocols = m.get("protocols") == null ? ExportSpec.DEFAULT_PROTOCOLS
        : r.integers(m, "protocols", path);
    List<Client> clients = new ArrayList<>();
    Access exportAccess = access;
    boolean ok = each(m, "clients", path, (v, p) -> add(clients, client(v, p, exportAccess)));
    if (!ok || volume == null || access == null || squash == null || protocols == null
        || m.get("pseudo") != null && pseudo == null) {
      return null;
    }
    return new ExportSpec(volume, pseudo == null ? ExportSpec.defaultPseudoPath(volume) : pseudo, access, squash,
        clients, protocols);
  }

  /** The access field: {@code def} when absent, null when not rw/ro (reported). */
  private Access access(Map<String, Object> m, String path, Access def) {
    if (m.get("access") == null) {
      return def;
    }
    String text = r.string(m, "access", path, false);
    if (text == null) {
      return null;
    }
    Access a = Access.fromYaml(text);
    if (a == null) {
      r.error(at(path, "access"), YamlReader.unknown("access", text,
          Arrays.stream(Access.values()).map(Access::yamlName).toList()));
    }
    return a;
  }

  private Client client(Object value, String path, Access exportAccess) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, CLIENT_FIELDS);
    List<Object> raw = r.list(m, "cidrs", path, true);
    Access access = access(m, path, exportAccess);
    if (raw == null) {
      return null;
    }
    List<Cidr> cidrs = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String p = at(at(path, "cidrs"), i);
      Cidr c = r.parse(r.string(raw.get(i), p), p, Cidr::parse);
      if (c != null) {
        cidrs.add(c);
      }
    }
    if (access == null || cidrs.size() != raw.size()) {
      return null;
    }
    return new Client(cidrs, access);
  }

  private VipSpec vip(Object value, String path) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, VIP_FIELDS);
    Cidr address = r.parse(r.string(m, "address", path, true), at(path, "address"), Cidr::parse);
    String home = r.string(m, "home", path, true);
    String nic = r.string(m, "interface", path, false);
    if (address == null || home == null || m.get("interface") != null && nic == null) {
      return null;
    }
    return new VipSpec(address, home, Optional.ofNullable(nic));
  }
}
