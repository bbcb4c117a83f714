package io.brickyard.agent.lvm;

import io.brickyard.agent.op.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Per-pool thin autoextend, done with an LVM metadata profile rather than by editing lvm.conf:
 * lvm.conf is global (every pool on the node would change), while a profile attached with
 * {@code lvchange --metadataprofile} is stored in the VG metadata of that one pool and is visible
 * in {@code lvs -o lv_profile}, so the node stays the truth. One profile per (threshold, percent)
 * pair, named after its values ({@code brickyard-autoextend-80-20}), so pools with the same policy
 * share it and a profile never changes meaning under a pool that uses it. Autoextension itself is
 * done by dmeventd monitoring, as for any LVM thin pool.
 */
final class AutoextendProfile {
  private final Path dir;

  /** {@code dir} is LVM's profile_dir, {@code /etc/lvm/profile} by default. */
  AutoextendProfile(Path dir) {
    this.dir = dir;
  }

  static void validate(int threshold, int percent) {
    if (threshold == 0 && percent == 0) {
      return;
    }
    if (threshold < 50 || threshold > 100) {
      throw new IllegalArgumentException("autoextend_threshold must be 50..100 (LVM's range), got " + threshold);
    }
    if (percent < 1 || percent > 1000) {
      throw new IllegalArgumentException("autoextend_percent must be 1..1000 when autoextend_threshold is set, got " + percent);
    }
  }

  static String name(int threshold, int percent) {
    return "brickyard-autoextend-" + threshold + "-" + percent;
  }

  static String content(int threshold, int percent) {
    return "# Written by the Brickyard agent (EnsureThinPool autoextend_threshold/autoextend_percent).\n"
        + "# Attached per pool with: lvchange --metadataprofile " + name(threshold, percent) + " VG/POOL\n"
        + "activation {\n"
        + "\tthin_pool_autoextend_threshold = " + threshold + "\n"
        + "\tthin_pool_autoextend_percent = " + percent + "\n"
        + "}\n";
  }

  /** Makes sure the profile file exists with the right content; returns the profile name. */
  String ensure(Operation op, int threshold, int percent) {
    String name = name(threshold, percent);
    Path file = dir.resolve(name + ".profile");
    String want = content(threshold, percent);
    String have;
    try {
      have = Files.isRegularFile(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      have = null;
    }
    if (!want.equals(have)) {
      op.changeInProcess(List.of("brickyard:write-file", file.toString()), () -> {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + name + ".profile.tmp");
        Files.writeString(tmp, want);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      });
    }
    return name;
  }
}
