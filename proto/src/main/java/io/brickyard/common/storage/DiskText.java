package io.brickyard.common.storage;

import io.brickyard.api.agent.v1.DeviceIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a disk is named to an admin, in the agent's refusals and in the plan's device line alike:
 * "sdb, QEMU HARDDISK, serial QM00002, WWN 0x5000c500a1b2c3d4, 4.0 GiB, signatures: ext4 at 0x438
 * (UUID ...)". One wording, so the disk a plan showed is recognisable in the refusal of its apply.
 */
public final class DiskText {
  private DiskText() {}

  public static String describe(DeviceIdentity d) {
    List<String> parts = new ArrayList<>(List.of(d.getKernelName()));
    if (!d.getModel().isEmpty()) {
      parts.add(d.getModel());
    }
    if (!d.getSerial().isEmpty()) {
      parts.add("serial " + d.getSerial());
    }
    if (!d.getWwn().isEmpty()) {
      parts.add("WWN " + d.getWwn());
    }
    parts.add(String.format(Locale.ROOT, "%.1f GiB", d.getSizeBytes() / (double) (1L << 30)));
    parts.add(d.getSignaturesCount() == 0 ? "no signatures" : "signatures: " + String.join("; ", d.getSignaturesList()));
    return String.join(", ", parts);
  }
}
