package io.brickyard.agent.nfs;

import io.brickyard.agent.gluster.GlusterNames;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.storage.FstabEntry;
import io.brickyard.agent.storage.FstabFile;
import io.brickyard.agent.storage.FstabWriter;
import io.brickyard.agent.storage.MountTable;
import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.TakeoverLink;
import io.brickyard.common.exec.Command;
import io.brickyard.common.net.IpAddress;
import io.brickyard.common.storage.MountPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * EnsureRecoveryStore: the shared NFSv4 recovery store on this node (docs/nfs.md, "Recovery
 * records"). Ganesha's fs backend keeps this node's client records in {@code <RecoveryRoot>/v4recov}
 * and, on grace event 5 for address IP, reads {@code <RecoveryRoot>/<IP>/v4recov}. With the
 * recovery volume mounted at M on every NFS node, RecoveryRoot = {@code M/nodes/<node>} and a
 * link {@code M/nodes/<node>/<IP> -> ../<holder>} makes a takeover of IP read the records of the
 * node that served IP last: they are on the shared volume, not on a dead node's disk.
 *
 * <p>Order, so that a kill anywhere leaves a state the next run completes: mount point directory,
 * the FUSE mount, the fstab line only once the mount succeeded (a line that cannot mount would
 * delay every boot), this node's directory on the volume, then the links. The request is checked
 * whole before anything runs; what is on the volume can only be read once it is mounted, so the
 * links' own refusals (a file where a link belongs) come after the mount, before any link is
 * written. A dry run of a store not yet mounted plans every directory and link.
 */
final class RecoveryStore {
  static final String FS_TYPE = "glusterfs";
  /** What findmnt reports for a glusterfs FUSE mount. */
  static final String LIVE_FS_TYPE = "fuse.glusterfs";
  /**
   * {@code _netdev}: mounted after the network; {@code nofail}: a recovery volume that cannot
   * mount must not stop the boot; {@code x-systemd.requires=glusterd.service}: its volfile comes
   * from this node's glusterd.
   */
  static final List<String> OPTIONS = List.of("defaults", "_netdev", "nofail", "x-systemd.requires=glusterd.service");
  static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(60);
  /** Brickyard's own state tree: the default mount point is below it (NfsSpec.Recovery). */
  static final String BRICKYARD_STATE = "/var/lib/brickyard/";
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_.+-]+)+");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final String TEMP_SUFFIX = ".brickyard-tmp";

  private final Path root;
  private final Path fstab;
  private final Path fstabBackup;
  private final RecoveryKeepalive keepalive;

  /**
   * {@code root}: this node's "/" as this process sees it ("/" for the agent; a lab test reaches a
   * lab host's mount namespace through {@code /proc/<pid>/root}, where the FUSE mount is).
   */
  RecoveryStore(Path root, Path fstab, Path fstabBackup) {
    this(root, fstab, fstabBackup, new RecoveryKeepalive());
  }

  RecoveryStore(Path root, Path fstab, Path fstabBackup, RecoveryKeepalive keepalive) {
    this.root = root;
    this.fstab = fstab;
    this.fstabBackup = fstabBackup;
    this.keepalive = keepalive;
  }

  /** The request, checked. */
  record Wanted(String volume, String mountPoint, String node, Map<String, String> links) {
    String source() {
      return "localhost:/" + volume;
    }

    String nodeDir() {
      return mountPoint + "/nodes/" + node;
    }
  }

  static Wanted validate(EnsureRecoveryStoreRequest req) {
    String volume = GlusterNames.volume("volume", req.getVolume());
    String mp = mountPoint(req.getMountPoint());
    String node = label("node", req.getNode());
    Map<String, String> links = new LinkedHashMap<>();
    for (int i = 0; i < req.getLinksCount(); i++) {
      TakeoverLink l = req.getLinks(i);
      String field = "links[" + i + "]";
      String address = address(field + ".address", l.getAddress());
      String holder = label(field + ".holder_node", l.getHolderNode());
      if (links.putIfAbsent(address, holder) != null) {
        throw new IllegalArgumentException(field + ".address: " + address + " is named twice");
      }
    }
    return new Wanted(volume, mp, node, links);
  }

  /**
   * Absolute, normalized, safe characters (it becomes RecoveryRoot's prefix in ganesha.conf, see
   * {@link CoreParams}), and not a system directory ({@link MountPoints}); below
   * /var/lib/brickyard is allowed: that is where the coordinator puts it by default.
   */
  static String mountPoint(String raw) {
    if (raw.isEmpty()) {
      throw new IllegalArgumentException("mount_point is required");
    }
    if (!SAFE_PATH.matcher(raw).matches() || !Path.of(raw).normalize().toString().equals(raw) || raw.length() > 256) {
      throw new IllegalArgumentException("mount_point: '" + PseudoPath.printable(raw) + "' must be an absolute, "
          + "normalized path of letters, digits, '.', '_', '+' and '-' (no '..', no trailing '/'), at most 256 characters");
    }
    if (!raw.startsWith(BRICKYARD_STATE)) {
      MountPoints.refusal(raw).ifPresent(why -> {
        throw new IllegalArgumentException("mount_point: " + why);
      });
    }
    return raw;
  }

  /** A spec node name: one DNS label (it is a directory name on the shared volume). */
  static String label(String field, String raw) {
    if (!LABEL.matcher(raw).matches()) {
      throw new IllegalArgumentException(field + ": '" + PseudoPath.printable(raw) + "' must be a DNS label (letters, "
          + "digits and '-', not at either end, 1..63 characters)");
    }
    return raw;
  }

  /**
   * An IPv4 or IPv6 literal in its one canonical spelling (IPv6 lower case, zeros compressed): the
   * link's name must be byte for byte the address the Grace call sends, as ganesha builds the
   * path from that text.
   */
  static String address(String field, String raw) {
    byte[] a = IpAddress.parse(raw);
    if (a == null) {
      throw new IllegalArgumentException(field + ": '" + PseudoPath.printable(raw) + "' is not an IPv4 or IPv6 address");
    }
    String canonical = IpAddress.format(a);
    if (!canonical.equals(raw)) {
      throw new IllegalArgumentException(field + ": '" + raw + "' must be written " + canonical
          + " (the form grace events use)");
    }
    return raw;
  }

  OperationResult ensure(Operation op, EnsureRecoveryStoreRequest req) {
    Wanted w = validate(req);
    Path mp = host(w.mountPoint());
    if (Files.exists(mp, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(mp, LinkOption.NOFOLLOW_LINKS)) {
      throw new RefusedException(w.mountPoint() + " exists and is not a directory");
    }
    MountTable table = MountTable.parse(op.readChecked(MountTable.all()).stdout());
    List<MountTable.Mount> here = table.at(w.mountPoint());
    for (MountTable.Mount m : here) {
      if (!m.fsType().equals(LIVE_FS_TYPE) || !m.source().equals(w.source())) {
        throw new RefusedException(w.mountPoint() + " already has " + m.source() + " (" + m.fsType()
            + ") mounted on it, not " + w.source() + " (" + LIVE_FS_TYPE + ")");
      }
    }
    boolean mounted = !here.isEmpty();
    if (!mounted) {
      refuseNonEmpty(w.mountPoint(), mp);
    }
    FstabFile file = loadFstab();
    FstabEntry line = FstabEntry.owned(w.source(), w.mountPoint(), FS_TYPE, OPTIONS);
    FstabFile.Change change = file.ensure(line);

    if (!Files.isDirectory(mp)) {
      op.changeInProcess(List.of("brickyard:mkdir", "-p", w.mountPoint()), () -> Files.createDirectories(mp));
    }
    if (!mounted) {
      op.change(Command.of("mount", "-t", FS_TYPE, w.source(), w.mountPoint()).withTimeout(MOUNT_TIMEOUT));
    }
    if (change != FstabFile.Change.UNCHANGED) {
      op.changeInProcess(List.of("brickyard:fstab", change == FstabFile.Change.ADDED ? "add" : "replace",
          line.asOwnedLine().strip()), () -> FstabWriter.write(fstab, file, fstabBackup));
    }
    // before the mount (a dry run) the volume's content is unknown: everything is planned
    boolean volumeVisible = mounted || !op.dryRun();
    Path nodeDir = host(w.nodeDir());
    if (volumeVisible && Files.exists(nodeDir, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(nodeDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new RefusedException(w.nodeDir() + " exists on the recovery volume and is not a directory");
    }
    Map<String, LinkState> plan = new LinkedHashMap<>();
    for (Map.Entry<String, String> l : w.links().entrySet()) {
      plan.put(l.getKey(), volumeVisible ? linkState(w, l.getKey(), "../" + l.getValue()) : LinkState.ABSENT);
    }
    if (!volumeVisible || !Files.isDirectory(nodeDir, LinkOption.NOFOLLOW_LINKS)) {
      op.changeInProcess(List.of("brickyard:mkdir", "-p", w.nodeDir()), () -> Files.createDirectories(nodeDir));
    }
    int relinked = 0;
    for (Map.Entry<String, String> l : w.links().entrySet()) {
      LinkState s = plan.get(l.getKey());
      if (s != LinkState.RIGHT) {
        link(op, w, l.getKey(), "../" + l.getValue(), s == LinkState.ELSEWHERE);
        relinked++;
      }
    }
    if (!op.dryRun()) {
      keepalive.watch(mp, w.node());
    }
    String what = w.source() + " at " + w.mountPoint() + ", records " + w.nodeDir() + ", " + w.links().size()
        + " takeover link" + (w.links().size() == 1 ? "" : "s");
    if (!op.changed()) {
      return op.unchanged("recovery store ready: " + what);
    }
    return op.done("recovery store " + what + (mounted ? "" : "; mounted") + (relinked == 0 ? ""
        : "; " + relinked + " link" + (relinked == 1 ? "" : "s") + " written"));
  }

  enum LinkState { ABSENT, RIGHT, ELSEWHERE }

  private LinkState linkState(Wanted w, String address, String target) {
    Path link = host(w.nodeDir()).resolve(address);
    try {
      if (Files.isSymbolicLink(link)) {
        return Files.readSymbolicLink(link).toString().equals(target) ? LinkState.RIGHT : LinkState.ELSEWHERE;
      }
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        throw new RefusedException(w.nodeDir() + "/" + address + " exists and is not a symlink: not replacing it "
            + "(move it away by hand)");
      }
      return LinkState.ABSENT;
    } catch (IOException e) {
      throw new OperationFailedException("reading " + w.nodeDir() + "/" + address + ": " + e.getMessage(), e);
    }
  }

  /**
   * A new link is made under a temp name and renamed over the old one, so a reader (ganesha taking
   * the address) sees the old or the new target, never no link.
   */
  private void link(Operation op, Wanted w, String address, String target, boolean replace) {
    Path dir = host(w.nodeDir());
    Path link = dir.resolve(address);
    Path temp = dir.resolve("." + address + TEMP_SUFFIX);
    List<String> record = new ArrayList<>(List.of("brickyard:symlink"));
    if (replace) {
      record.add("--replace");
    }
    record.addAll(List.of(target, w.nodeDir() + "/" + address));
    op.changeInProcess(record, () -> {
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, Path.of(target));
      Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    });
  }

  /** A mount on a directory that holds files hides them: refused, as for bricks. */
  private static void refuseNonEmpty(String name, Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.limit(4).map(p -> p.getFileName().toString()).sorted().toList();
      if (!names.isEmpty()) {
        throw new RefusedException(name + " is not empty (" + String.join(", ", names) + (names.size() > 3 ? ", ..." : "")
            + ") and nothing is mounted there: a mount would hide what it holds");
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot list " + name + ": " + e.getMessage(), e);
    }
  }

  private FstabFile loadFstab() {
    try {
      return FstabFile.load(fstab);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + fstab + ": " + e.getMessage(), e);
    }
  }

  /** An absolute path of this node as this process reaches it. */
  private Path host(String absolute) {
    return root.resolve(absolute.substring(1));
  }
}
