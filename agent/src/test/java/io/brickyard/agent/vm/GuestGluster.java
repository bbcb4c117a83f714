package io.brickyard.agent.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * glusterd in a guest: Debian's glusterd runs {@code gsyncd} (python, geo-replication) about ten
 * times at start, which under TCG took 68-137 s. The guest's / is a RAM overlay, so moving it aside
 * there changes nothing on the host; glusterd treats a missing gsyncd as "geo-replication not
 * installed" and starts in ~4 s. Used by SnapshotVmScenario and the cli module's RecipeVmNode.
 */
final class GuestGluster {
  static final Path GSYNCD = Path.of("/usr/lib/x86_64-linux-gnu/glusterfs/gsyncd");
  static final Path HIDDEN = GSYNCD.resolveSibling("gsyncd.hidden-by-vm-tier");

  private GuestGluster() {}

  /** Moves gsyncd aside in the guest's overlay; true if it was there. */
  static boolean hideGsyncd() throws IOException {
    if (Files.exists(GSYNCD)) {
      Files.move(GSYNCD, HIDDEN);
      return true;
    }
    return false;
  }

  /** Puts it back (a glusterd that does need it after all). */
  static void restoreGsyncd() throws IOException {
    if (Files.exists(HIDDEN)) {
      Files.move(HIDDEN, GSYNCD);
    }
  }
}
