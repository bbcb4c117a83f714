package io.brickyard.coordinator.spec;

import static io.brickyard.coordinator.spec.YamlReader.at;

import io.brickyard.coordinator.spec.LvmStorage.Autoextend;
import io.brickyard.coordinator.spec.LvmStorage.ThinPool;
import io.brickyard.coordinator.spec.LvmStorage.ThinVolume;
import io.brickyard.coordinator.spec.MkfsOptions.Raid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the {@code storage:} section. An entry is an LVM layout when it has {@code volumeGroup} and
 * a plain XFS device when it has {@code device}; each kind has its own set of known fields, so a
 * typo is reported against the right vocabulary.
 */
final class StorageMapper {
  static final List<String> STORAGE_FIELDS = List.of("defaults", "nodes");
  static final List<String> LVM_FIELDS =
      List.of("devices", "wipe", "volumeGroup", "thinPool", "thinVolumes", "mkfs", "mountOptions");
  static final List<String> XFS_FIELDS =
      List.of("device", "wipe", "mountPoint", "fstabByUuid", "mkfs", "mountOptions");
  static final List<String> POOL_FIELDS =
      List.of("name", "size", "metadataSize", "chunkSize", "zero", "autoextend");
  static final List<String> AUTOEXTEND_FIELDS = List.of("threshold", "percent");
  static final List<String> THIN_FIELDS = List.of("name", "virtualSize", "mountPoint", "fstabByUuid");
  /** A device given as a mapping: its path and the identity that pins it. */
  static final List<String> DISK_FIELDS = List.of("path", "wwn", "serial");
  static final List<String> MKFS_FIELDS = List.of("inodeSize", "namingSize", "raid");
  static final List<String> RAID_FIELDS = List.of("stripeUnit", "stripeWidth");

  private final YamlReader r;

  StorageMapper(YamlReader r) {
    this.r = r;
  }

  StorageSpec storage(Object value, String path) {
    if (value == null) {
      return StorageSpec.EMPTY;
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return StorageSpec.EMPTY;
    }
    r.onlyKnown(m, path, STORAGE_FIELDS);
    List<StorageEntry> defaults = entries(m.get("defaults"), at(path, "defaults"));
    Map<String, List<StorageEntry>> nodes = new LinkedHashMap<>();
    Object n = m.get("nodes");
    if (n != null) {
      Map<String, Object> nm = r.mapping(n, at(path, "nodes"));
      if (nm != null) {
        nm.forEach((node, list) -> nodes.put(node, entries(list, at(at(path, "nodes"), node))));
      }
    }
    return new StorageSpec(defaults, nodes);
  }

  private List<StorageEntry> entries(Object value, String path) {
    List<StorageEntry> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    List<Object> l = r.list(value, path);
    if (l == null) {
      return out;
    }
    for (int i = 0; i < l.size(); i++) {
      StorageEntry e = entry(l.get(i), at(path, i));
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private StorageEntry entry(Object value, String path) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    boolean lvm = m.containsKey("volumeGroup") || m.containsKey("devices") || m.containsKey("thinVolumes")
        || m.containsKey("thinPool");
    boolean xfs = m.containsKey("device");
    if (lvm && xfs) {
      r.error(path, "a storage entry is either an LVM layout (volumeGroup, devices, thinPool, thinVolumes)"
          + " or a plain XFS device (device), not both");
      return null;
    }
    if (!lvm && !xfs) {
      r.error(path, "a storage entry needs either volumeGroup (LVM thin layout) or device (plain XFS device)");
      return null;
    }
    return lvm ? lvm(m, path) : xfs(m, path);
  }

  private LvmStorage lvm(Map<String, Object> m, String path) {
    r.onlyKnown(m, path, LVM_FIELDS);
    Map<String, DiskPin> pins = new LinkedHashMap<>();
    List<String> devices = null;
    List<Object> dl = r.list(m, "devices", path, true);
    if (dl != null) {
      devices = new ArrayList<>();
      for (int i = 0; i < dl.size(); i++) {
        String d = disk(dl.get(i), at(at(path, "devices"), i), pins);
        if (d != null) {
          devices.add(d);
        }
      }
    }
    boolean wipe = r.bool(m, "wipe", path, false);
    String vg = r.string(m, "volumeGroup", path, true);
    ThinPool pool = pool(m.get("thinPool"), at(path, "thinPool"));
    List<ThinVolume> thins = new ArrayList<>();
    List<Object> l = r.list(m, "thinVolumes", path, true);
    if (l != null) {
      for (int i = 0; i < l.size(); i++) {
        ThinVolume t = thin(l.get(i), at(at(path, "thinVolumes"), i));
        if (t != null) {
          thins.add(t);
        }
      }
    }
    MkfsOptions mkfs = mkfs(m.get("mkfs"), at(path, "mkfs"));
    List<String> mountOptions = mountOptions(m, path);
    if (devices == null || vg == null || pool == null || mkfs == null || mountOptions == null) {
      return null;
    }
    return new LvmStorage(devices, wipe, vg, pool, thins, mkfs, mountOptions, pins);
  }

  private ThinPool pool(Object value, String path) {
    if (value == null) {
      return new ThinPool(ThinPool.DEFAULT_NAME, ThinPool.DEFAULT_SIZE, Optional.empty(), Optional.empty(),
          false, Optional.empty());
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, POOL_FIELDS);
    String name = r.string(m, "name", path, false);
    String sizeText = r.string(m, "size", path, false);
    PoolSize size = sizeText == null ? ThinPool.DEFAULT_SIZE : r.parse(sizeText, at(path, "size"), PoolSize::parse);
    Optional<Size> meta = optionalSize(m, "metadataSize", path);
    Optional<Size> chunk = optionalSize(m, "chunkSize", path);
    boolean zero = r.bool(m, "zero", path, false);
    Optional<Autoextend> auto = Optional.empty();
    if (m.get("autoextend") != null) {
      Map<String, Object> a = r.mapping(m.get("autoextend"), at(path, "autoextend"));
      if (a != null) {
        r.onlyKnown(a, at(path, "autoextend"), AUTOEXTEND_FIELDS);
        Integer threshold = r.integer(a, "threshold", at(path, "autoextend"), true);
        Integer percent = r.integer(a, "percent", at(path, "autoextend"), true);
        if (threshold != null && percent != null) {
          auto = Optional.of(new Autoextend(threshold, percent));
        }
      }
    }
    if (size == null || meta == null || chunk == null) {
      return null;
    }
    return new ThinPool(name == null ? ThinPool.DEFAULT_NAME : name, size, meta, chunk, zero, auto);
  }

  /** Optional.empty() when absent, null when present but invalid (already reported). */
  private Optional<Size> optionalSize(Map<String, Object> m, String key, String path) {
    String text = r.string(m, key, path, false);
    if (text == null) {
      return m.get(key) == null ? Optional.empty() : null;
    }
    Size s = r.parse(text, at(path, key), Size::parse);
    return s == null ? null : Optional.of(s);
  }

  private ThinVolume thin(Object value, String path) {
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, THIN_FIELDS);
    String name = r.string(m, "name", path, true);
    Size size = r.parse(r.string(m, "virtualSize", path, true), at(path, "virtualSize"), Size::parse);
    String mount = r.string(m, "mountPoint", path, true);
    boolean byUuid = r.bool(m, "fstabByUuid", path, false);
    return name == null || size == null || mount == null ? null : new ThinVolume(name, size, mount, byUuid);
  }

  private XfsDevice xfs(Map<String, Object> m, String path) {
    r.onlyKnown(m, path, XFS_FIELDS);
    Map<String, DiskPin> pins = new LinkedHashMap<>();
    String device = disk(r.get(m, "device", path, true), at(path, "device"), pins);
    boolean wipe = r.bool(m, "wipe", path, false);
    String mount = r.string(m, "mountPoint", path, true);
    boolean byUuid = r.bool(m, "fstabByUuid", path, true);
    MkfsOptions mkfs = mkfs(m.get("mkfs"), at(path, "mkfs"));
    List<String> mountOptions = mountOptions(m, path);
    if (device == null || mount == null || mkfs == null || mountOptions == null) {
      return null;
    }
    return new XfsDevice(device, wipe, mount, byUuid, mkfs, mountOptions, pins);
  }

  /**
   * A device: its path ("/dev/sdb", "/dev/disk/by-id/..."), or a mapping {@code {path, wwn, serial}}
   * that also pins which disk the path must be (recorded in {@code pins}). Null when invalid
   * (reported) or absent.
   */
  private String disk(Object value, String path, Map<String, DiskPin> pins) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?>)) {
      return r.string(value, path);
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, DISK_FIELDS);
    String device = r.string(m, "path", path, true);
    String wwn = r.string(m, "wwn", path, false);
    String serial = r.string(m, "serial", path, false);
    if (device == null) {
      return null;
    }
    DiskPin pin = new DiskPin(wwn == null ? "" : wwn, serial == null ? "" : serial);
    if (!pin.pinned()) {
      r.error(path, "a device given as a mapping pins the disk: give wwn or serial (or write just the path)");
    } else {
      pins.put(device, pin);
    }
    return device;
  }

  private MkfsOptions mkfs(Object value, String path) {
    if (value == null) {
      return MkfsOptions.DEFAULTS;
    }
    Map<String, Object> m = r.mapping(value, path);
    if (m == null) {
      return null;
    }
    r.onlyKnown(m, path, MKFS_FIELDS);
    Integer inode = r.integer(m, "inodeSize", path, false);
    Integer naming = r.integer(m, "namingSize", path, false);
    Optional<Raid> raid = Optional.empty();
    if (m.get("raid") != null) {
      String rp = at(path, "raid");
      Map<String, Object> rm = r.mapping(m.get("raid"), rp);
      if (rm == null) {
        return null;
      }
      r.onlyKnown(rm, rp, RAID_FIELDS);
      Size su = r.parse(r.string(rm, "stripeUnit", rp, true), at(rp, "stripeUnit"), Size::parse);
      Integer sw = r.integer(rm, "stripeWidth", rp, true);
      if (su == null || sw == null) {
        return null;
      }
      raid = Optional.of(new Raid(su, sw));
    }
    return new MkfsOptions(inode == null ? MkfsOptions.DEFAULT_INODE_SIZE : inode,
        naming == null ? MkfsOptions.DEFAULT_NAMING_SIZE : naming, raid);
  }

  /** A list, or fstab's own comma-separated form "rw,noatime,nouuid,inode64". */
  private List<String> mountOptions(Map<String, Object> m, String path) {
    Object v = m.get("mountOptions");
    if (v == null) {
      return StorageEntry.DEFAULT_MOUNT_OPTIONS;
    }
    if (v instanceof String s) {
      return Arrays.stream(s.split(",", -1)).map(String::trim).toList();
    }
    return r.strings(m, "mountOptions", path, false);
  }
}
