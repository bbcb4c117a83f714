package io.brickyard.agent.gluster;

import io.brickyard.api.agent.v1.BrickHealInfo;
import io.brickyard.api.agent.v1.HealEntry;
import io.brickyard.api.agent.v1.HealInfo;
import org.w3c.dom.Element;

/**
 * {@code volume heal VOL info [split-brain] --xml}: per brick its status, the number of entries and
 * each entry ({@code <file gfid="...">/path</file>}; a path gluster could not resolve is
 * {@code <gfid:...>}). A brick that could not be asked has a status text and no number (-1).
 */
final class HealInfoXml {
  private HealInfoXml() {}

  static HealInfo parse(String volume, boolean splitBrain, String xml) {
    Element root = Xml.parseOk(xml, "gluster volume heal info");
    HealInfo.Builder out = HealInfo.newBuilder().setVolume(volume).setSplitBrain(splitBrain);
    for (Element b : Xml.children(Xml.child(Xml.child(root, "healInfo"), "bricks"), "brick")) {
      BrickHealInfo.Builder bb = BrickHealInfo.newBuilder().setBrick(Xml.text(b, "name")).setStatus(Xml.text(b, "status"))
          .setEntries(Xml.longOr(Xml.text(b, "numberOfEntries"), -1));
      for (Element f : Xml.children(b, "file")) {
        bb.addFiles(HealEntry.newBuilder().setPath(f.getTextContent().strip()).setGfid(f.getAttribute("gfid")));
      }
      out.addBricks(bb);
    }
    return out.build();
  }
}
