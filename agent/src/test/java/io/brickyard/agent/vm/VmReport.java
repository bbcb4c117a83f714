package io.brickyard.agent.vm;

import io.brickyard.api.agent.v1.GetLvmReportRequest;
import io.brickyard.api.agent.v1.LogicalVolume;
import io.brickyard.api.agent.v1.LvmReport;
import io.brickyard.api.agent.v1.LvmServiceGrpc;
import java.util.LinkedHashMap;
import java.util.Map;

/** Emits GetLvmReport as one "report" line: PVs, VGs, and every LV with its computed fields. */
final class VmReport {
  private final LvmServiceGrpc.LvmServiceBlockingStub lvm;

  VmReport(LvmServiceGrpc.LvmServiceBlockingStub lvm) {
    this.lvm = lvm;
  }

  void emit() {
    LvmReport r = lvm.getLvmReport(GetLvmReportRequest.getDefaultInstance());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("warnings", r.getWarningsList());
    m.put("pvs", r.getPhysicalVolumesList().stream().map(p -> p.getDevice() + ":" + p.getVg()).toList());
    m.put("vgs", r.getVolumeGroupsList().stream().map(v -> v.getName() + ":" + v.getPvCount()).toList());
    Map<String, Object> lvs = new LinkedHashMap<>();
    for (LogicalVolume l : r.getLogicalVolumesList()) {
      lvs.put(l.getVg() + "/" + l.getName(), Map.of("attr", l.getAttr(), "size", l.getSizeBytes(),
          "pool", l.getPool(), "origin", l.getOrigin(), "thinPool", l.getThinPool(),
          "thinVolume", l.getThinVolume(), "active", l.getActive(),
          "virtualAllocated", l.getVirtualAllocatedBytes(), "path", l.getPath()));
    }
    m.put("lvs", lvs);
    VmSteps.emit("report", m);
  }
}
