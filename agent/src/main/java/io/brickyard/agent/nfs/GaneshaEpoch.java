package io.brickyard.agent.nfs;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import io.brickyard.common.nfs.NfsLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ganesha's server epoch, different on every NFS node. Ganesha's NFSv4 client ids are the low 32 bits
 * of its epoch followed by a counter, and a server answers {@code NFS4ERR_STALE_CLIENTID}, which is
 * what sends a client to reclaim its opens and locks, only for an id whose epoch is not its own. The
 * default epoch is the second ganesha started in, so two nodes whose ganeshas started in the same
 * second hand out the same ids: a client moved by a failover then renews some other client's lease on
 * the survivor, gets {@code NFS4ERR_BAD_STATEID} and never reclaims (seen in CI, docs/ha.md).
 *
 * <p>The packages' start script ({@code nfs-ganesha-config.sh}, run before every start of the
 * {@code nfs-ganesha} unit) runs {@code EPOCH_EXEC} from ganesha's environment file and passes its
 * output as {@code -E}. Brickyard sets it to {@code /bin/date +%sNN}: the start second followed by the
 * node's two-digit place in {@code nfs.nodes}. Distinct on every node, larger at every restart (so a
 * restarted ganesha still answers its old clients' ids with STALE_CLIENTID), and computed at every
 * start however ganesha is started (apply, an admin, a reboot). Only the low 32 bits are used in the
 * client ids: they repeat after 2^32 / 100 s (497 days), far longer than any client's lease.
 */
public final class GaneshaEpoch {
  static final int MAX_INDEX = NfsLimits.MAX_NODES;
  /**
   * What nfs-ganesha-config.sh reads, in its order: /etc/sysconfig/ganesha where /etc/sysconfig
   * exists (RHEL), else /etc/ganesha/nfs-ganesha (Debian, which writes the result to
   * /etc/default/nfs-ganesha for the unit).
   */
  static final Path RHEL_SOURCE = Path.of("/etc/sysconfig/ganesha");
  static final Path DEBIAN_SOURCE = Path.of("/etc/ganesha/nfs-ganesha");
  static final Path DEBIAN_UNIT_ENV = Path.of("/etc/default/nfs-ganesha");
  static final String MARK = "# brickyard: ganesha's epoch = start second + this node's place in nfs.nodes "
      + "(distinct client ids on every node, docs/ha.md)";
  /** The packages' placeholder: no epoch program. */
  static final String PACKAGE_DEFAULT = "/bin/true";
  private static final Pattern EPOCH_EXEC = Pattern.compile("^\\s*EPOCH_EXEC=\"?([^\"]*)\"?\\s*$");
  /** Lines nfs-ganesha-config.sh writes into the unit's file: never copied back into its source. */
  private static final Pattern GENERATED = Pattern.compile("^\\s*(EPOCH|GNODEID|NUMACTL|NUMAOPTS)=.*$");

  private GaneshaEpoch() {}

  /** The program whose output is the epoch of the node at {@code index} (1..99) in nfs.nodes. */
  static String program(int index) {
    if (index < 1 || index > MAX_INDEX) {
      throw new RefusedException("epoch_index: 1-" + MAX_INDEX + " (0 leaves ganesha's epoch alone), got " + index);
    }
    return "/bin/date +%s" + String.format("%02d", index);
  }

  /**
   * {@code text} (the environment file, or "" when there is none) with EPOCH_EXEC set to
   * {@link #program}; empty when an EPOCH_EXEC of someone else's (not the packages' placeholder, not
   * ours) is there: an admin's epoch program wins, and the caller says so.
   */
  static Optional<String> withProgram(String text, int index) {
    String want = "EPOCH_EXEC=\"" + program(index) + "\"";
    List<String> out = new ArrayList<>();
    boolean set = false;
    for (String line : text.lines().toList()) {
      Matcher m = EPOCH_EXEC.matcher(line);
      if (line.equals(MARK)) {
        continue;
      }
      if (m.matches()) {
        String v = m.group(1).strip();
        if (!v.isEmpty() && !v.equals(PACKAGE_DEFAULT) && !v.startsWith("/bin/date +%s")) {
          return Optional.empty();
        }
        if (!set) {
          out.add(MARK);
          out.add(want);
          set = true;
        }
        continue;
      }
      out.add(line);
    }
    if (!set) {
      out.add(MARK);
      out.add(want);
    }
    return Optional.of(String.join("\n", out) + "\n");
  }

  /**
   * A new Debian source file starts from what the unit reads today (its OPTIONS: log file, config
   * file), minus the lines the start script generates, so creating it changes nothing but the epoch.
   */
  static String seedFromUnitEnv(String unitEnv) {
    StringBuilder out = new StringBuilder();
    for (String line : unitEnv.lines().toList()) {
      if (!GENERATED.matcher(line).matches()) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** EPOCH_EXEC's argv in {@code text}, if it names a program (the start script splits it on blanks). */
  static Optional<List<String>> programIn(String text) {
    for (String line : text.lines().toList()) {
      Matcher m = EPOCH_EXEC.matcher(line);
      if (m.matches() && !m.group(1).isBlank() && !m.group(1).strip().equals(PACKAGE_DEFAULT)) {
        return Optional.of(Arrays.asList(m.group(1).strip().split("\\s+")));
      }
    }
    return Optional.empty();
  }

  /**
   * For the lab's service backend, which starts ganesha itself: what nfs-ganesha-config.sh adds to the
   * command line ({@code -E} and EPOCH_EXEC's output), read and run through {@code runner} in the host.
   * Empty when there is no environment file or no epoch program, as with the packages.
   */
  public static List<String> startArgs(CommandRunner runner) {
    for (Path source : List.of(RHEL_SOURCE, DEBIAN_SOURCE)) {
      CommandResult cat = runner.run(Command.of("cat", "--", source.toString()));
      if (!cat.ok()) {
        continue;
      }
      Optional<List<String>> argv = programIn(cat.stdout());
      if (argv.isEmpty() || !argv.get().get(0).startsWith("/")) {
        return List.of();
      }
      CommandResult epoch = runner.run(Command.of(argv.get()));
      String value = epoch.stdout().strip();
      return epoch.ok() && value.matches("[0-9]{1,19}") ? List.of("-E", value) : List.of();
    }
    return List.of();
  }
}
