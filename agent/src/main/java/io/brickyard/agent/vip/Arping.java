package io.brickyard.agent.vip;

import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iputils {@code arping} (package iputils-arping on Debian, iputils on RHEL): the duplicate
 * address probe before a VIP is added, and the gratuitous ARP after.
 *
 * <p>Why {@code timeout --preserve-status -s INT} around the probe: iputils arping takes whole
 * seconds only ({@code -w 0.5} and {@code -i 0.2} are "invalid argument", {@code -i 0} hangs) and
 * waits one interval after its last probe, so a bare {@code arping -D -c 1} costs 1.0 s even on a
 * link where answers take under a millisecond. Stopped with SIGINT, arping prints its summary and
 * exits as usual (0 = no answer, 1 = answered), so the wait becomes a per-request number of
 * milliseconds. In DAD mode arping quits on the first answer, so a held address is seen at once.
 */
final class Arping {
  private static final Pattern REPLY =
      Pattern.compile("(?m)^(?:Unicast|Broadcast) reply from \\S+ \\[([0-9A-Fa-f:]{17})\\]");
  private static final Pattern SENT = Pattern.compile("(?m)^Sent (\\d+) probes");
  private static final Duration SLACK = Duration.ofSeconds(5);

  private Arping() {}

  /** The probe: ARP requests from 0.0.0.0 for {@code addr} (RFC 5227 style), one per second of {@code wait}. */
  static Command dad(String ifname, Ipv4 addr, Duration wait) {
    long ms = wait.toMillis();
    String seconds = String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    return Command.of("timeout", "--preserve-status", "-s", "INT", seconds,
        "arping", "-D", "-c", String.valueOf(1 + (ms - 1) / 1000), "-I", ifname, addr.address())
        .withTimeout(wait.plus(SLACK));
  }

  /**
   * Gratuitous ARP: {@code count} unsolicited requests, one per second, so neighbours update their entry.
   * Bare, arping waits a whole second after its last request for answers no neighbour sends; the
   * same SIGINT as the probe's stops it {@link #ANNOUNCE_AFTER_LAST} after the last one is sent, so a
   * take answers ~0.7 s sooner (FailoverLabE2ETest's timeline). {@link #announced} checks it was sent.
   */
  static Command announce(String ifname, Ipv4 addr, int count) {
    long ms = (count - 1) * 1000L + ANNOUNCE_AFTER_LAST.toMillis();
    String seconds = String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    return Command.of("timeout", "--preserve-status", "-s", "INT", seconds,
        "arping", "-U", "-c", String.valueOf(count), "-I", ifname, addr.address())
        .withTimeout(Duration.ofMillis(ms).plus(SLACK));
  }

  /** Time for arping's last request to leave before the SIGINT: it sends at once, it only waits after. */
  static final Duration ANNOUNCE_AFTER_LAST = Duration.ofMillis(300);

  /** How many requests an announce sent, from arping's summary ("Sent N probes"); 0 when it printed none. */
  static int announced(CommandResult r) {
    Matcher sent = SENT.matcher(r.stdout());
    return sent.find() ? Integer.parseInt(sent.group(1)) : 0;
  }

  /** What the probe found: the MACs that answered (lower case, in order); empty = nobody. */
  record Dad(List<String> answeredBy) {
    boolean held() {
      return !answeredBy.isEmpty();
    }
  }

  /**
   * Reads a probe's outcome. Exit 1 alone is no answer (arping also exits 1 on a bad argument), and
   * exit 0 only counts when a probe was really sent: anything else is a failure, never "free".
   */
  static Dad dadOutcome(CommandResult r) {
    List<String> macs = new ArrayList<>();
    Matcher m = REPLY.matcher(r.stdout());
    while (m.find()) {
      String mac = m.group(1).toLowerCase(Locale.ROOT);
      if (!macs.contains(mac)) {
        macs.add(mac);
      }
    }
    Matcher sent = SENT.matcher(r.stdout());
    int probes = sent.find() ? Integer.parseInt(sent.group(1)) : 0;
    if (r.exitCode() == 1 && !macs.isEmpty() && !r.timedOut()) {
      return new Dad(List.copyOf(macs));
    }
    if (r.exitCode() == 0 && !r.timedOut() && probes > 0 && macs.isEmpty()) {
      return new Dad(List.of());
    }
    throw new OperationFailedException("duplicate address probe gave no answer either way: " + r.failureMessage());
  }
}
