package io.brickyard.agent.nfs;

import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The main configuration's values, checked: ganesha's own ranges (ganesha-core-config(8):
 * Grace_Period 0-180, Lease_Lifetime 0-120, Minor_Versions 0-2), and a recovery root that is an
 * absolute, normalized path of safe characters (it is written inside a quoted config string, and
 * ganesha's fs backend builds {@code <root>/<ip>/v4recov} from it).
 */
record CoreParams(int gracePeriod, int leaseLifetime, List<Integer> minorVersions, boolean nfsv3, Path recoveryRoot) {
  static final int DEFAULT_GRACE = 90;
  static final int DEFAULT_LEASE = 60;
  static final Path DEFAULT_RECOVERY_ROOT = Path.of("/var/lib/nfs/ganesha");
  /** The fs backend's directory name below the recovery root (ganesha's default, written explicitly). */
  static final String RECOVERY_DIR = "v4recov";
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_.+-]+)+");

  CoreParams {
    minorVersions = List.copyOf(minorVersions);
  }

  static CoreParams of(EnsureGaneshaConfigRequest req) {
    int grace = range("grace_period_seconds", req.getGracePeriodSeconds(), 180, DEFAULT_GRACE);
    int lease = range("lease_lifetime_seconds", req.getLeaseLifetimeSeconds(), 120, DEFAULT_LEASE);
    TreeSet<Integer> minors = new TreeSet<>();
    for (int m : req.getMinorVersionsList()) {
      if (m < 0 || m > 2) {
        throw new IllegalArgumentException("minor_versions: " + Integer.toUnsignedString(m) + " is not an NFSv4 minor "
            + "version ganesha knows (0, 1, 2)");
      }
      minors.add(m);
    }
    return new CoreParams(grace, lease, minors.isEmpty() ? List.of(0, 1, 2) : List.copyOf(minors), req.getNfsv3(),
        recoveryRoot(req.getRecoveryRoot()));
  }

  private static int range(String field, int value, int max, int dflt) {
    if (value == 0) {
      return dflt;
    }
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(field + ": must be 1.." + max + " (0 = ganesha's default " + dflt + "), got "
          + Integer.toUnsignedString(value));
    }
    return value;
  }

  static Path recoveryRoot(String raw) {
    if (raw.isEmpty()) {
      return DEFAULT_RECOVERY_ROOT;
    }
    if (!SAFE_PATH.matcher(raw).matches() || !Path.of(raw).normalize().toString().equals(raw) || raw.length() > 512) {
      throw new IllegalArgumentException("recovery_root: '" + PseudoPath.printable(raw) + "' must be an absolute, "
          + "normalized path of letters, digits, '.', '_', '+' and '-' (no '..', no trailing '/'), at most 512 characters");
    }
    return Path.of(raw);
  }

  /** Ganesha logs a warning for this, and a client may lose its lease before it could reclaim. */
  boolean graceShorterThanLease() {
    return gracePeriod < leaseLifetime;
  }
}
