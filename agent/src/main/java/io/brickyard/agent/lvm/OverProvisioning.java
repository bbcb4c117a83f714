package io.brickyard.agent.lvm;

import io.brickyard.agent.lvm.LvmJson.Lv;
import io.brickyard.agent.lvm.LvmJson.Vg;
import io.brickyard.common.storage.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Thin provisioning lets 12 GiB of volumes live in a 5 GiB pool (the recipe's vol3 10G case);
 * writes then fail when the pool fills. LVM prints its warning to a terminal nobody reads, so the
 * agent repeats it, with the numbers, in every OperationResult and LvmReport that touches the pool.
 * Pure functions, unit-tested.
 */
public final class OverProvisioning {
  /** Data% or metadata% at or above which a pool is reported as filling up. */
  public static final double FILL_WARNING_PERCENT = 80.0;

  private OverProvisioning() {}

  /** Sum of the virtual sizes of the pool's thin volumes and snapshots. */
  public static long virtualAllocated(List<Lv> thinVolumes) {
    return thinVolumes.stream().mapToLong(Lv::size).sum();
  }

  public static List<String> warnings(Lv pool, List<Lv> thinVolumes, Vg vg) {
    List<String> out = new ArrayList<>();
    long virtual = virtualAllocated(thinVolumes);
    if (virtual > pool.size()) {
      String members = thinVolumes.stream().map(l -> l.name() + " " + Sizes.human(l.size()))
          .collect(Collectors.joining(", "));
      StringBuilder w = new StringBuilder()
          .append("thin pool ").append(pool.fullName()).append(" is over-provisioned: thin volumes total ")
          .append(Sizes.human(virtual)).append(" (").append(virtual).append(" bytes: ").append(members)
          .append(") but the pool holds ").append(Sizes.human(pool.size())).append(" (").append(pool.size())
          .append(" bytes), ").append(Math.round(100.0 * virtual / pool.size())).append("% of it");
      if (vg != null && virtual > vg.size()) {
        w.append("; more than the whole VG ").append(vg.name()).append(" (").append(Sizes.human(vg.size()))
            .append(")");
      }
      w.append(". Writes fail once the pool is full: watch data%, enable autoextend or add PVs");
      out.add(w.toString());
    }
    if (pool.dataPercent() >= FILL_WARNING_PERCENT) {
      out.add(String.format(Locale.ROOT, "thin pool %s data is %.2f%% full (%s of %s)", pool.fullName(),
          pool.dataPercent(), Sizes.human((long) (pool.size() * pool.dataPercent() / 100)), Sizes.human(pool.size())));
    }
    if (pool.metadataPercent() >= FILL_WARNING_PERCENT) {
      out.add(String.format(Locale.ROOT, "thin pool %s metadata is %.2f%% full (metadata LV %s)",
          pool.fullName(), pool.metadataPercent(), Sizes.human(pool.metadataSize())));
    }
    return out;
  }
}
