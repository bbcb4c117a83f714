package io.brickyard.agent.inventory;

import io.brickyard.api.agent.v1.BlockDevice;
import io.brickyard.api.agent.v1.Inventory;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Whole block devices this node can see, each marked available or rejected with reasons.
 *
 * <p>lsblk reads sysfs, which lists every block device of the kernel; what a node can actually
 * use are the device nodes in its own {@code /dev}. So each lsblk disk is matched by major:minor
 * to the node in {@code /dev} and reported under that path. On a normal host that is the same
 * name ({@code /dev/sdb}); in a lab host, whose private /dev holds {@code /dev/sdb} for a loop
 * device, it is the name the admin will use.
 */
public final class InventoryCollector {
  private final CommandRunner runner;
  private final Path dev;
  private final Path sysBlock;

  public InventoryCollector(CommandRunner runner) {
    this(runner, Path.of("/dev"), Path.of("/sys/block"));
  }

  InventoryCollector(CommandRunner runner, Path dev, Path sysBlock) {
    this.runner = runner;
    this.dev = dev;
    this.sysBlock = sysBlock;
  }

  public Inventory collect(long minSize) {
    CommandResult r = runner.runChecked(Lsblk.COMMAND);
    List<Lsblk.Node> tree = Lsblk.parse(r.stdout());
    Map<String, Path> nodes = deviceNodes();
    Map<String, List<String>> byId = byIdLinks();
    Inventory.Builder inv = Inventory.newBuilder();
    for (Lsblk.Node d : tree) {
      if (!"disk".equals(d.type()) && !"loop".equals(d.type())) {
        continue;
      }
      Path node = nodes.get(d.majMin());
      if (node == null) {
        continue; // not visible on this node
      }
      CommandResult w = runner.run(Wipefs.probe(node.toString()));
      List<String> sigs = w.ok() ? Wipefs.parse(w.stdout()) : List.of();
      List<String> holders = holders(d.kname());
      List<String> reasons = new ArrayList<>(DeviceRules.rejections(d, sigs, holders, minSize));
      if (!w.ok()) {
        reasons.add("cannot probe signatures: " + w.stderr().strip());
      }
      BlockDevice.Builder b = BlockDevice.newBuilder()
          .setPath(node.toString()).setKernelName(d.kname()).setMajMin(d.majMin())
          .setSizeBytes(d.size()).setType(d.type()).setReadOnly(d.readOnly()).setRotational(d.rotational())
          .setModel(d.model()).setSerial(d.serial()).setWwn(d.wwn())
          .addAllMountpoints(d.mountpoints()).addAllSignatures(sigs)
          .addAllChildren(d.children().stream().map(Lsblk.Node::name).toList())
          .addAllByIdLinks(byId.getOrDefault(d.majMin(), List.of()))
          .setAvailable(reasons.isEmpty()).addAllRejectedReasons(reasons);
      inv.addDevices(b);
    }
    return inv.build();
  }

  /** major:minor -> /dev path, for block device nodes directly under /dev. */
  Map<String, Path> deviceNodes() {
    Map<String, Path> m = new HashMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dev)) {
      for (Path p : ds) {
        String mm = DeviceNodes.majMin(p);
        if (mm != null) {
          m.merge(mm, p, (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()) <= 0 ? a : b);
        }
      }
    } catch (IOException e) {
      // no /dev: nothing visible
    }
    return m;
  }

  private Map<String, List<String>> byIdLinks() {
    Map<String, List<String>> m = new HashMap<>();
    Path dir = dev.resolve("disk/by-id");
    if (!Files.isDirectory(dir)) {
      return m;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.sorted().forEach(p -> {
        String mm = DeviceNodes.majMin(p);
        if (mm != null) {
          m.computeIfAbsent(mm, k -> new ArrayList<>()).add(p.toString());
        }
      });
    } catch (IOException e) {
      // best effort
    }
    return m;
  }

  private List<String> holders(String kname) {
    try {
      return DeviceNodes.holders(sysBlock.resolve(kname));
    } catch (IOException e) {
      return List.of("(holders unreadable: " + e.getMessage() + ")");
    }
  }

}
