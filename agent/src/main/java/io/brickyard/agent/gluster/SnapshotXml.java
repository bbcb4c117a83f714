package io.brickyard.agent.gluster;

import io.brickyard.api.agent.v1.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Parsers for {@code gluster snapshot ... --xml} (glusterfs 10.3; fixtures captured in the VM
 * tier, see fixtures/gluster/snapshot/README.md). Every answer is a {@code <cliOutput>}; opRet
 * is checked first ({@link Xml#parseOk}), so a parser only ever sees a successful answer.
 */
final class SnapshotXml {
  private SnapshotXml() {}

  /** The name and uuid of a snapshot just made ({@code snapshot create}). */
  record Created(String name, String uuid) {}

  static Created parseCreate(String xml) {
    Element snap = Xml.child(Xml.child(Xml.parseOk(xml, "snapshot create"), "snapCreate"), "snapshot");
    if (snap == null) {
      throw new io.brickyard.agent.op.OperationFailedException("snapshot create: no <snapCreate><snapshot> in the answer");
    }
    return new Created(Xml.text(snap, "name"), Xml.text(snap, "uuid"));
  }

  /** Names from {@code snapshot list [VOLUME]}, in gluster's order; none is an empty list. */
  static List<String> parseList(String xml) {
    Element list = Xml.child(Xml.parseOk(xml, "snapshot list"), "snapList");
    List<String> out = new ArrayList<>();
    for (Element e : Xml.children(list, "snapshot")) {
      out.add(e.getTextContent().strip());
    }
    return out;
  }

  /** Every snapshot of {@code snapshot info [NAME | volume VOLUME]}. */
  static List<Snapshot> parseInfo(String xml) {
    Element info = Xml.child(Xml.parseOk(xml, "snapshot info"), "snapInfo");
    // "snapshot info volume V" names the origin once, beside the list; "info" and "info NAME" in each snapshot
    String origin = Xml.text(Xml.child(info, "originVolume"), "name");
    List<Snapshot> out = new ArrayList<>();
    for (Element s : Xml.children(Xml.child(info, "snapshots"), "snapshot")) {
      Snapshot.Builder b = Snapshot.newBuilder()
          .setName(Xml.text(s, "name"))
          .setUuid(Xml.text(s, "uuid"))
          .setDescription(Xml.text(s, "description"))
          .setCreateTime(Xml.text(s, "createTime"));
      Element vol = Xml.child(s, "snapVolume");
      if (vol != null) {
        String status = Xml.text(vol, "status");
        b.setSnapVolume(Xml.text(vol, "name")).setStatus(status).setActivated(status.equals("Started"))
            .setVolume(Xml.child(vol, "originVolume") != null ? Xml.text(Xml.child(vol, "originVolume"), "name") : origin);
      }
      out.add(b.build());
    }
    return out;
  }

  /** The new volume's name and uuid from {@code snapshot clone} ({@code <CloneCreate><volume>}). */
  static Created parseClone(String xml) {
    Element vol = Xml.child(Xml.child(Xml.parseOk(xml, "snapshot clone"), "CloneCreate"), "volume");
    if (vol == null) {
      throw new io.brickyard.agent.op.OperationFailedException("snapshot clone: no <CloneCreate><volume> in the answer");
    }
    return new Created(Xml.text(vol, "name"), Xml.text(vol, "uuid"));
  }
}
