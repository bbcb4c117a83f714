package io.brickyard.agent.gluster;

import io.brickyard.api.agent.v1.GlusterBrick;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.SelfHealDaemon;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Parsers for the volume-level {@code --xml} answers: {@code volume info all} (layout, bricks,
 * reconfigured options), {@code volume status all} (per-brick online/port/pid and the self-heal
 * daemons; the "detail" variant drops the daemons, so we use the plain one),
 * {@code volume heal VOL info summary} and {@code volume get VOL all}.
 */
final class VolumeXml {
  private VolumeXml() {}

  private static final String[] TRANSPORTS = {"tcp", "rdma", "tcp,rdma"};

  /** {@code volume info all}: volumes without status data (ports/pids/heal = unknown). */
  static List<GlusterVolume> parseInfo(String xml) {
    Element root = Xml.parseOk(xml, "gluster volume info");
    List<GlusterVolume> out = new ArrayList<>();
    for (Element v : Xml.children(Xml.child(Xml.child(root, "volInfo"), "volumes"), "volume")) {
      int t = Xml.intOr(Xml.text(v, "transport"), 0);
      GlusterVolume.Builder b = GlusterVolume.newBuilder()
          .setName(Xml.text(v, "name"))
          .setId(Xml.text(v, "id"))
          .setType(Xml.text(v, "typeStr"))
          .setStatus(Xml.text(v, "statusStr"))
          .setBrickCount(Xml.intOr(Xml.text(v, "brickCount"), 0))
          .setReplicaCount(Xml.intOr(Xml.text(v, "replicaCount"), 0))
          .setArbiterCount(Xml.intOr(Xml.text(v, "arbiterCount"), 0))
          .setDisperseCount(Xml.intOr(Xml.text(v, "disperseCount"), 0))
          .setRedundancyCount(Xml.intOr(Xml.text(v, "redundancyCount"), 0))
          .setDistCount(Xml.intOr(Xml.text(v, "distCount"), 0))
          .setTransport(t >= 0 && t < TRANSPORTS.length ? TRANSPORTS[t] : Integer.toString(t));
      for (Element br : Xml.children(Xml.child(v, "bricks"), "brick")) {
        String name = Xml.text(br, "name");
        int colon = name.indexOf(':');
        b.addBricks(GlusterBrick.newBuilder()
            .setName(name)
            .setHost(colon > 0 ? name.substring(0, colon) : "")
            .setPath(colon > 0 ? name.substring(colon + 1) : name)
            .setArbiter("1".equals(Xml.text(br, "isArbiter")))
            .setHealPendingEntries(-1));
      }
      for (Element o : Xml.children(Xml.child(v, "options"), "option")) {
        b.putOptions(Xml.text(o, "name"), Xml.text(o, "value"));
      }
      out.add(b.build());
    }
    return out;
  }

  /** Per-volume status: bricks keyed by "host:path", self-heal daemons. */
  record Status(Map<String, GlusterBrick> bricks, List<SelfHealDaemon> shd, String rebalance) {
    Status(Map<String, GlusterBrick> bricks, List<SelfHealDaemon> shd) {
      this(bricks, shd, "");
    }
  }

  /** {@code volume status all}: only started volumes appear. */
  static Map<String, Status> parseStatus(String xml) {
    Element root = Xml.parseOk(xml, "gluster volume status");
    Map<String, Status> out = new LinkedHashMap<>();
    for (Element v : Xml.children(Xml.child(Xml.child(root, "volStatus"), "volumes"), "volume")) {
      Map<String, GlusterBrick> bricks = new LinkedHashMap<>();
      List<SelfHealDaemon> shd = new ArrayList<>();
      for (Element n : Xml.children(v, "node")) {
        String host = Xml.text(n, "hostname");
        String path = Xml.text(n, "path");
        boolean online = "1".equals(Xml.text(n, "status"));
        int pid = Math.max(0, Xml.intOr(Xml.text(n, "pid"), 0));
        if (host.equals("Self-heal Daemon")) {
          // path is "localhost" for the node that answered, else the peer's hostname
          shd.add(SelfHealDaemon.newBuilder().setHost(path).setOnline(online).setPid(pid).build());
        } else if (path.startsWith("/")) {
          int port = Xml.intOr(Xml.text(Xml.child(n, "ports"), "tcp"), Xml.intOr(Xml.text(n, "port"), 0));
          bricks.put(host + ":" + path, GlusterBrick.newBuilder().setName(host + ":" + path).setHost(host)
              .setPath(path).setOnline(online).setPort(Math.max(0, port)).setPid(pid).build());
        }
        // other daemons (NFS Server, Quota, Bitrot) are not part of the API
      }
      out.put(Xml.text(v, "volName"), new Status(bricks, shd, RebalanceXml.task(v)));
    }
    return out;
  }

  /**
   * One brick's line of {@code volume heal VOL info summary}: entries needing heal (gluster's
   * total: pending, possibly healing and split-brain together) and of those the ones in
   * split-brain, which no self-heal will ever fix (an admin must pick a copy). -1 when unknown.
   */
  record HealCounts(long pending, long splitBrain) {
    static final HealCounts UNKNOWN = new HealCounts(-1, -1);
  }

  /**
   * {@code volume heal VOL info summary}: "host:path" -> heal counts, unknown (-1) when the brick
   * could not be asked (a down brick prints a status text and no numbers). The split-brain count
   * comes from the same answer, so it costs no second command (a separate {@code info
   * split-brain} would crawl the bricks' indices again).
   */
  static Map<String, HealCounts> parseHealSummary(String xml) {
    Element root = Xml.parseOk(xml, "gluster volume heal info summary");
    Map<String, HealCounts> out = new HashMap<>();
    for (Element b : Xml.children(Xml.child(Xml.child(root, "healInfo"), "bricks"), "brick")) {
      boolean connected = "Connected".equals(Xml.text(b, "status"));
      out.put(Xml.text(b, "name"), connected ? new HealCounts(Xml.longOr(Xml.text(b, "totalNumberOfEntries"), -1),
          Xml.longOr(Xml.text(b, "numberOfEntriesInSplitBrain"), -1)) : HealCounts.UNKNOWN);
    }
    return out;
  }

  /**
   * {@code volume get VOL all}: effective value of every option, with the " (DEFAULT)" marker
   * removed. Some keys are listed twice (performance.cache-size for io-cache and quick-read);
   * both entries carry the same value, the first wins. An empty default is printed as
   * " (DEFAULT)" (performance.cache-priority) and becomes "".
   */
  static Map<String, String> parseGet(String xml) {
    Element root = Xml.parseOk(xml, "gluster volume get");
    Map<String, String> out = new LinkedHashMap<>();
    for (Element o : Xml.children(Xml.child(root, "volGetopts"), "Opt")) {
      String v = Xml.text(o, "Value");
      if (v.equals("(DEFAULT)")) {
        v = ""; // an empty default prints as " (DEFAULT)"
      } else if (v.endsWith(" (DEFAULT)")) {
        v = v.substring(0, v.length() - " (DEFAULT)".length());
      }
      out.putIfAbsent(Xml.text(o, "Option"), v);
    }
    return out;
  }

  /** info + status + heal merged into one volume message. */
  static GlusterVolume merge(GlusterVolume info, Status status, Map<String, HealCounts> heal) {
    GlusterVolume.Builder b = info.toBuilder().clearBricks();
    for (GlusterBrick brick : info.getBricksList()) {
      GlusterBrick.Builder bb = brick.toBuilder();
      GlusterBrick st = status == null ? null : status.bricks().get(brick.getName());
      if (st != null) {
        bb.setOnline(st.getOnline()).setPort(st.getPort()).setPid(st.getPid());
      }
      HealCounts h = heal == null ? HealCounts.UNKNOWN : heal.getOrDefault(brick.getName(), HealCounts.UNKNOWN);
      bb.setHealPendingEntries(h.pending()).setHealSplitBrainEntries(h.splitBrain());
      b.addBricks(bb);
    }
    if (status != null) {
      b.addAllSelfHealDaemons(status.shd()).setRebalance(status.rebalance());
    }
    return b.build();
  }
}
