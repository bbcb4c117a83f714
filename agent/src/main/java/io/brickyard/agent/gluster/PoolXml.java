package io.brickyard.agent.gluster;

import io.brickyard.api.agent.v1.GlusterPeer;
import io.brickyard.api.agent.v1.GlusterPool;
import org.w3c.dom.Element;

/**
 * {@code gluster --mode=script --xml pool list}: every peer including this node. The local node
 * is the entry with hostname "localhost" and no {@code <state>} (pool list prints itself that way;
 * peer status omits it), which is also how we learn the local UUID without reading glusterd.info.
 */
final class PoolXml {
  private PoolXml() {}

  static GlusterPool parse(String xml) {
    Element root = Xml.parseOk(xml, "gluster pool list");
    GlusterPool.Builder pool = GlusterPool.newBuilder().setGlusterdReachable(true);
    for (Element p : Xml.children(Xml.child(root, "peerStatus"), "peer")) {
      String host = Xml.text(p, "hostname");
      boolean self = Xml.child(p, "state") == null && Xml.child(p, "hostnames") == null && host.equals("localhost");
      GlusterPeer.Builder b = GlusterPeer.newBuilder()
          .setUuid(Xml.text(p, "uuid"))
          .setHostname(host)
          .setConnected("1".equals(Xml.text(p, "connected")))
          .setState(self ? "" : Xml.text(p, "stateStr"))
          .setSelf(self);
      for (Element h : Xml.children(Xml.child(p, "hostnames"), "hostname")) {
        b.addHostnames(h.getTextContent().strip());
      }
      if (self) {
        pool.setLocalUuid(b.getUuid());
      }
      pool.addPeers(b);
    }
    return pool.build();
  }
}
