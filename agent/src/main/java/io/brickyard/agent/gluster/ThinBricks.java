package io.brickyard.agent.gluster;

import io.brickyard.agent.lvm.LvmJson;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.storage.MountTable;
import io.brickyard.api.agent.v1.SnapshotBrick;
import io.brickyard.common.exec.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.w3c.dom.Element;

/**
 * What this node's bricks of a volume sit on. gluster snapshots need every brick on its own thin
 * LV, and when one is not, glusterd 10.3 answers only "Snapshot is supported only for thin
 * provisioned LV. Ensure that all bricks of VOL are thinly provisioned LV." (no brick named; a
 * brick on a plain directory gets a message about a missing device). So the agent looks first:
 * {@code findmnt --target BRICK} gives the filesystem that holds the brick, one {@code lvs}
 * report the LVs, and the device is matched to its LV by the device node both resolve to
 * ({@code /dev/mapper/data-vol1} and {@code /dev/data/vol1} are both links to {@code /dev/dm-N}).
 */
final class ThinBricks {
  private final UnaryOperator<String> realPath;

  /** {@code realPath} resolves a device path's links (tests pass a map; the agent the file system). */
  ThinBricks(UnaryOperator<String> realPath) {
    this.realPath = realPath;
  }

  static ThinBricks system() {
    return new ThinBricks(p -> {
      try {
        return java.nio.file.Path.of(p).toRealPath().toString();
      } catch (java.io.IOException | RuntimeException e) {
        return p;
      }
    });
  }

  /** The bricks of {@code volumeInfoXml}'s volume {@code volume} whose host is this node ({@code localUuid}). */
  static List<String> localBricks(String volumeInfoXml, String volume, String localUuid) {
    Element root = Xml.parseOk(volumeInfoXml, "volume info");
    List<String> out = new ArrayList<>();
    for (Element v : Xml.children(Xml.child(Xml.child(root, "volInfo"), "volumes"), "volume")) {
      if (!Xml.text(v, "name").equals(volume)) {
        continue;
      }
      for (Element b : Xml.children(Xml.child(v, "bricks"), "brick")) {
        if (Xml.text(b, "hostUuid").equals(localUuid)) {
          out.add(Xml.text(b, "name"));
        }
      }
    }
    return out;
  }

  /** Each local brick with what holds it; {@code problem} says why one cannot be snapshotted. */
  List<SnapshotBrick> inspect(Operation op, List<String> bricks) {
    List<SnapshotBrick> out = new ArrayList<>();
    List<LvmJson.Lv> lvs = null;
    for (String brick : bricks) {
      String path = brick.substring(brick.indexOf(':') + 1);
      SnapshotBrick.Builder b = SnapshotBrick.newBuilder().setBrick(brick);
      CommandResult fm = op.read(MountTable.containing(path));
      List<MountTable.Mount> mounts = fm.ok() ? MountTable.parse(fm.stdout()).mounts() : List.of();
      if (mounts.isEmpty()) {
        out.add(b.setProblem("brick " + brick + ": its path does not exist on this node (findmnt --target "
            + path + " found nothing)").build());
        continue;
      }
      MountTable.Mount m = mounts.get(mounts.size() - 1);
      b.setMountPoint(m.target()).setDevice(m.source());
      if (!m.source().startsWith("/dev/")) {
        out.add(b.setProblem("brick " + brick + " is on " + m.source() + " (" + m.fsType() + ", mounted at "
            + m.target() + "), not on an LVM logical volume; gluster snapshots need every brick on its own thin LV")
            .build());
        continue;
      }
      if (lvs == null) {
        lvs = LvmJson.parseLvs(op.readChecked(LvmJson.lvsCommand()).stdout());
      }
      String dev = realPath.apply(m.source());
      LvmJson.Lv lv = lvs.stream().filter(l -> !l.path().isEmpty() && realPath.apply(l.path()).equals(dev))
          .findFirst().orElse(null);
      if (lv == null) {
        out.add(b.setProblem("brick " + brick + " is on " + m.source() + " (mounted at " + m.target()
            + "), which is not an LVM logical volume; gluster snapshots need every brick on its own thin LV").build());
        continue;
      }
      b.setVg(lv.vg()).setLv(lv.name()).setLvSizeBytes(lv.size());
      if (!lv.thinVolume() || lv.pool().isEmpty()) {
        out.add(b.setProblem("brick " + brick + " is on LV " + lv.vg() + "/" + lv.name() + " (lv_attr " + lv.attr()
            + "), a thick LV, not a thin one; gluster snapshots need every brick on a thin LV of a thin pool").build());
        continue;
      }
      b.setPool(lv.pool()).setThin(true);
      String vg = lv.vg();
      lvs.stream().filter(p -> p.vg().equals(vg) && p.name().equals(lv.pool())).findFirst()
          .ifPresent(p -> b.setPoolDataPercent(p.dataPercent()).setPoolSizeBytes(p.size()));
      out.add(b.build());
    }
    return out;
  }
}
