package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.SpecValidator.report;
import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.common.storage.MountPoints;
import io.brickyard.coordinator.spec.LvmStorage.ThinPool;
import io.brickyard.coordinator.spec.LvmStorage.ThinVolume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage rules. Each list (the defaults, or one node's override) is what one node gets as a
 * whole, so uniqueness of devices, volume groups and mount points is checked per list.
 */
final class StorageRules {
  private static final Size MIN_METADATA = Size.ofMib(2);
  private static final Size MAX_METADATA = Size.ofGib(16);
  private static final Size MIN_CHUNK = Size.ofKib(64);
  private static final Size MAX_CHUNK = Size.ofGib(1);

  private final ClusterSpec spec;
  private final List<Issue> out;

  StorageRules(ClusterSpec spec, List<Issue> out) {
    this.spec = spec;
    this.out = out;
  }

  void check() {
    list(spec.storage().defaults(), "storage.defaults", nodesUsingDefaults());
    spec.storage().nodes().forEach((node, entries) -> {
      String p = at("storage.nodes", node);
      if (spec.node(node).isEmpty()) {
        out.add(Issue.error(p, SpecValidator.noSuchNode(spec, node) + " (storage overrides are keyed by node name)"));
      }
      list(entries, p, spec.node(node).isPresent() ? List.of(node) : List.of());
    });
  }

  private List<String> nodesUsingDefaults() {
    return spec.nodes().stream().map(NodeSpec::name).filter(n -> !spec.storage().nodes().containsKey(n)).toList();
  }

  private void list(List<StorageEntry> entries, String path, List<String> appliesTo) {
    Map<String, String> devices = new HashMap<>();
    Map<String, String> groups = new HashMap<>();
    Map<String, String> mounts = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      StorageEntry e = entries.get(i);
      String p = at(path, i);
      if (e instanceof LvmStorage l) {
        lvm(l, p, devices, groups, mounts);
      } else if (e instanceof XfsDevice x) {
        device(x.device(), at(p, "device"), devices);
        mount(x.mountPoint(), at(p, "mountPoint"), mounts);
      }
      if (e.wipe() && !e.devices().isEmpty()) {
        out.add(Issue.warning(at(p, "wipe"), "wipe: true erases every existing signature (filesystem, LVM,"
            + " partition table) on " + String.join(", ", e.devices()) + " before use"));
      }
      e.pins().forEach((device, pin) -> pin(pin, at(p, e instanceof XfsDevice ? "device"
          : at("devices", e.devices().indexOf(device)))));
      mkfs(e.mkfs(), at(p, "mkfs"));
      mountOptions(e.mountOptions(), at(p, "mountOptions"));
    }
    unused(mounts, appliesTo);
  }

  private void lvm(LvmStorage l, String p, Map<String, String> devices, Map<String, String> groups,
      Map<String, String> mounts) {
    if (l.devices().isEmpty()) {
      out.add(Issue.error(at(p, "devices"), "at least one device is required"));
    }
    for (int d = 0; d < l.devices().size(); d++) {
      device(l.devices().get(d), at(at(p, "devices"), d), devices);
    }
    String vgPath = at(p, "volumeGroup");
    report(out, vgPath, Names.lvm(l.volumeGroup(), false));
    String firstVg = groups.putIfAbsent(l.volumeGroup(), vgPath);
    if (firstVg != null) {
      out.add(Issue.error(vgPath, "volume group '" + l.volumeGroup() + "' is already defined at " + firstVg
          + " (one entry per volume group)"));
    }
    pool(l, at(p, "thinPool"));
    if (l.thinVolumes().isEmpty()) {
      out.add(Issue.error(at(p, "thinVolumes"), "at least one thin volume is required"));
    }
    Map<String, Integer> names = new HashMap<>();
    long virtual = 0;
    for (int t = 0; t < l.thinVolumes().size(); t++) {
      ThinVolume tv = l.thinVolumes().get(t);
      String tp = at(at(p, "thinVolumes"), t);
      report(out, at(tp, "name"), Names.lvm(tv.name(), true));
      Integer first = names.putIfAbsent(tv.name(), t);
      if (first != null) {
        out.add(Issue.error(at(tp, "name"), "duplicate thin volume '" + tv.name() + "' in volume group '"
            + l.volumeGroup() + "' (also thinVolumes[" + first + "])"));
      } else if (tv.name().equals(l.thinPool().name())) {
        out.add(Issue.error(at(tp, "name"), "'" + tv.name() + "' is the thin pool's name"));
      }
      mount(tv.mountPoint(), at(tp, "mountPoint"), mounts);
      virtual += tv.virtualSize().bytes();
    }
    if (l.thinPool().size() instanceof Size pool && virtual > pool.bytes()) {
      out.add(Issue.warning(at(p, "thinVolumes"), "thin volumes total " + new Size(virtual) + " in a "
          + pool + " pool: over-provisioned, writes fail once the pool is full"));
    }
  }

  private void pool(LvmStorage l, String p) {
    ThinPool pool = l.thinPool();
    report(out, at(p, "name"), Names.lvm(pool.name(), true));
    pool.metadataSize().ifPresent(s -> {
      if (s.compareTo(MIN_METADATA) < 0 || s.compareTo(MAX_METADATA) > 0) {
        out.add(Issue.error(at(p, "metadataSize"), "thin pool metadata must be between 2M and 16G, got " + s));
      }
    });
    pool.chunkSize().ifPresent(s -> {
      if (s.compareTo(MIN_CHUNK) < 0 || s.compareTo(MAX_CHUNK) > 0 || s.bytes() % MIN_CHUNK.bytes() != 0) {
        out.add(Issue.error(at(p, "chunkSize"), "thin pool chunk size must be a multiple of 64K between 64K"
            + " and 1G, got " + s));
      }
    });
    pool.autoextend().ifPresent(a -> {
      String ap = at(p, "autoextend");
      if (a.threshold() < 50 || a.threshold() > 100) {
        out.add(Issue.error(at(ap, "threshold"), "must be between 50 and 100 (LVM's range; 100 disables"
            + " autoextend), got " + a.threshold()));
      }
      if (a.percent() < 1) {
        out.add(Issue.error(at(ap, "percent"), "must be at least 1, got " + a.percent()));
      }
      if (pool.size() instanceof PercentSize ps && ps.base() == PercentSize.Base.FREE && ps.percent() == 100) {
        out.add(Issue.warning(ap, "the pool takes 100%FREE of volume group '" + l.volumeGroup()
            + "': autoextend has no free space to grow into"));
      }
    });
  }

  private void device(String device, String p, Map<String, String> devices) {
    report(out, p, Names.devicePath(device));
    String first = devices.putIfAbsent(device, p);
    if (first != null) {
      out.add(Issue.error(p, "device " + device + " is already used by " + first));
    }
  }

  private void mount(String mountPoint, String p, Map<String, String> mounts) {
    String pathError = Names.absolutePath(mountPoint);
    report(out, p, pathError != null ? pathError : MountPoints.refusal(mountPoint).orElse(null));
    String first = mounts.putIfAbsent(mountPoint, p);
    if (first != null) {
      out.add(Issue.error(p, "mount point " + mountPoint + " is already used by " + first));
    }
  }

  /** WWN and serial as lsblk prints them: no blanks or control characters, no leading '-'. */
  private void pin(DiskPin pin, String p) {
    for (String[] f : new String[][] {{"wwn", pin.wwn()}, {"serial", pin.serial()}}) {
      String v = f[1];
      if (!v.isEmpty() && (v.startsWith("-") || v.length() > 128 || !v.matches("[A-Za-z0-9._:+-]+"))) {
        out.add(Issue.error(at(p, f[0]), "'" + v + "' is not a disk " + f[0] + " as lsblk prints it"
            + " (letters, digits and . _ : + -)"));
      }
    }
  }

  private void mkfs(MkfsOptions m, String p) {
    if (m.inodeSize() != 512 && m.inodeSize() != 1024 && m.inodeSize() != 2048) {
      out.add(Issue.error(at(p, "inodeSize"), "must be 512, 1024 or 2048 (XFS v5), got " + m.inodeSize()));
    }
    int n = m.namingSize();
    if (n < 4096 || n > 65536 || Integer.bitCount(n) != 1) {
      out.add(Issue.error(at(p, "namingSize"), "must be a power of 2 from 4096 to 65536, got " + n));
    }
    m.raid().ifPresent(r -> {
      if (r.stripeWidth() < 1) {
        out.add(Issue.error(at(at(p, "raid"), "stripeWidth"), "must be at least 1 (the number of data disks),"
            + " got " + r.stripeWidth()));
      }
    });
  }

  private void mountOptions(List<String> options, String p) {
    for (int i = 0; i < options.size(); i++) {
      String o = options.get(i);
      if (o.isEmpty() || o.chars().anyMatch(c -> c <= ' ' || c == ',')) {
        out.add(Issue.error(at(p, i), "'" + o + "' is not a mount option"));
      }
    }
  }

  /** Warns about filesystems that no brick uses: prepared, mounted, and wasted. */
  private void unused(Map<String, String> mounts, List<String> nodes) {
    mounts.forEach((mountPoint, p) -> {
      List<String> idle = new ArrayList<>();
      for (String node : nodes) {
        boolean used = spec.volumes().stream().flatMap(v -> v.bricks().stream())
            .anyMatch(b -> spec.nodeForBrickHost(b.host()).map(n -> n.name().equals(node)).orElse(false)
                && Names.below(b.path(), mountPoint));
        if (!used) {
          idle.add(node);
        }
      }
      if (!idle.isEmpty() && !spec.volumes().isEmpty()) {
        out.add(Issue.warning(p, mountPoint + " is not used by any brick on " + String.join(", ", idle)));
      }
    });
  }
}
