package io.brickyard.agent.gluster;

import io.brickyard.api.agent.v1.RebalanceNode;
import io.brickyard.api.agent.v1.RebalanceStatus;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * {@code volume rebalance VOL status --xml} (glusterfs 10.3, captured in the lab:
 * fixtures/gluster/rebalance-status.*.xml): one {@code <node>} per peer that has bricks of the
 * volume, with gluster's counters (files moved, bytes, files scanned, failures, skipped, run time
 * in seconds) and an {@code <aggregate>}. A volume on which no rebalance ran since glusterd started
 * answers opRet -1 ("Rebalance not started"): that is the state "not started", not an error.
 */
final class RebalanceXml {
  private RebalanceXml() {}

  static final String NOT_STARTED = "not started";

  /** Whether a failed status answer only says that no rebalance ran. */
  static boolean notStarted(String xml) {
    Element root = Xml.parse(xml);
    String err = Xml.text(root, "opErrstr").toLowerCase(Locale.ROOT);
    // rebalance: "Rebalance not started for volume vol1."; remove-brick: "remove-brick not started for volume vol1."
    return Xml.intOr(Xml.text(root, "opRet"), -1) != 0 && err.contains("not started");
  }

  static RebalanceStatus parse(String volume, String xml) {
    Element root = Xml.parse(xml);
    RebalanceStatus.Builder b = RebalanceStatus.newBuilder().setVolume(volume);
    if (Xml.intOr(Xml.text(root, "opRet"), -1) != 0 && notStarted(xml)) {
      return b.setStatus(NOT_STARTED).build();
    }
    Element ok = Xml.parseOk(xml, "gluster volume rebalance/remove-brick status");
    // remove-brick status has the same shape under another name
    Element reb = Xml.child(ok, "volRebalance") != null ? Xml.child(ok, "volRebalance") : Xml.child(ok, "volRemoveBrick");
    for (Element n : Xml.children(reb, "node")) {
      b.addNodes(node(n));
    }
    Element agg = Xml.child(reb, "aggregate");
    if (agg != null) {
      RebalanceNode a = node(agg);
      b.setAggregate(a).setStatus(a.getStatus());
    }
    return b.build();
  }

  private static RebalanceNode node(Element n) {
    return RebalanceNode.newBuilder()
        .setNode(Xml.text(n, "nodeName"))
        .setFilesMoved(Xml.longOr(Xml.text(n, "files"), 0))
        .setBytesMoved(Xml.longOr(Xml.text(n, "size"), 0))
        .setFilesScanned(Xml.longOr(Xml.text(n, "lookups"), 0))
        .setFailures(Xml.longOr(Xml.text(n, "failures"), 0))
        .setSkipped(Xml.longOr(Xml.text(n, "skipped"), 0))
        .setStatus(Xml.text(n, "statusStr").toLowerCase(Locale.ROOT))
        .setRuntimeSeconds(parseDouble(Xml.text(n, "runtime")))
        .build();
  }

  private static double parseDouble(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code volume status}'s rebalance task of one volume element ("" when it has none). */
  static String task(Element volume) {
    for (Element t : Xml.children(Xml.child(volume, "tasks"), "task")) {
      if (Xml.text(t, "type").equalsIgnoreCase("Rebalance")) {
        return Xml.text(t, "statusStr").toLowerCase(Locale.ROOT);
      }
    }
    return "";
  }
}
