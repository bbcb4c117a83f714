package io.brickyard.agent.firewall;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.storage.FstabWriter;
import io.brickyard.common.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The node's record of the rich rules Brickyard itself added: per zone and per configuration
 * (permanent, runtime), the exact rules, kept in {@code <state-dir>/firewall-rules.json}. It is how
 * {@code EnsureAllowed} tells its own rules from an admin's, so that it can revoke the ones the spec
 * no longer names without ever touching an admin's.
 *
 * <p>Why a ledger on the node and not a mark in the rule: firewalld rich rules have no comment
 * field, and every attribute that could carry a mark changes what the rule does ({@code log
 * prefix=} logs every packet, {@code priority=} reorders rule evaluation) or is something an admin
 * may equally write. Worse, an admin may have made exactly the rule Brickyard would make, byte for
 * byte: nothing in firewalld can tell the two apart. Only knowing which rules Brickyard actually
 * added can. So:
 * <ul>
 *   <li>a rule is recorded only when Brickyard's own edit added it; a rule already there (in that
 *       configuration) is not Brickyard's, nor is one someone else added between Brickyard's read and
 *       its write (firewalld's ALREADY_ENABLED);</li>
 *   <li>the two configurations are recorded separately, since Brickyard may have added only the
 *       runtime half of an admin's permanent rule: it then revokes only that half;</li>
 *   <li>the zone is recorded resolved (firewalld's default zone by name), so when the spec's zone
 *       or the default zone changes, the rules left in the old zone are still known and revoked;</li>
 *   <li>an entry whose rule is gone from its configuration (removed by hand, a runtime rule lost to
 *       a reload or restart, a deleted zone) is dropped at the next change, so that an identical
 *       rule an admin adds later is not taken for Brickyard's;</li>
 *   <li>additions are recorded before they are made (then corrected for races), so a crash between
 *       firewalld's change and the ledger write can only leave an entry for a rule that is absent
 *       (dropped later), never an unrecorded Brickyard rule that would stay open for good;</li>
 *   <li>a lost ledger makes Brickyard's earlier rules indistinguishable from an admin's: they stay
 *       open (nothing is ever closed on a guess) until removed by hand or with RemoveAllowed; an
 *       unreadable one refuses the firewall step, naming the file, rather than forget;</li>
 *   <li>written atomically (temp file, fsync, rename, fsync of the directory, as /etc/fstab is);
 *       read-modify-write runs under the agent's node lock (mutating RPCs run one at a time); a dry
 *       run reads it and never writes it.</li>
 * </ul>
 */
final class FirewallLedger {
  static final String FILE = "firewall-rules.json";
  private static final int VERSION = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** One rule Brickyard added to one configuration of one zone. */
  record Entry(String zone, boolean permanent, RichRule rule) {
    static final Comparator<Entry> ORDER = Comparator.comparing(Entry::zone)
        .thenComparing(e -> !e.permanent()).thenComparing(e -> e.rule().toString());
  }

  /** The file's form: the rule's parts, each validated again on reading. */
  private record Stored(int version, List<StoredRule> rules) {}

  private record StoredRule(String zone, String config, String source, String service, String port) {}

  private final Path file;

  FirewallLedger(Path file) {
    this.file = file;
  }

  /** The recorded rules; none when the file does not exist. */
  Set<Entry> read() {
    if (!Files.exists(file)) {
      return Set.of();
    }
    Stored stored;
    try {
      stored = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
    } catch (IOException | JsonParseException e) {
      throw unreadable(e.getMessage());
    }
    if (stored == null || stored.version() != VERSION || stored.rules() == null) {
      throw unreadable("not a version " + VERSION + " rule ledger");
    }
    Set<Entry> out = new LinkedHashSet<>();
    for (int i = 0; i < stored.rules().size(); i++) {
      StoredRule r = stored.rules().get(i);
      String at = "rules[" + i + "]";
      try {
        if (r == null || r.zone() == null || !(r.service() == null ^ r.port() == null)
            || !("permanent".equals(r.config()) || "runtime".equals(r.config()))) {
          throw new IllegalArgumentException(at + ": needs zone, config (permanent|runtime), source and one of"
              + " service/port");
        }
        FirewallCmd.checkZone(r.zone());
        Cidr source = Cidr.parseSource(at + ".source", r.source());
        RichRule rule = r.service() != null ? RichRule.forService(source, RichRule.checkService(at + ".service",
            r.service())) : RichRule.forPort(source, RichRule.checkPort(at + ".port", r.port()));
        out.add(new Entry(r.zone(), "permanent".equals(r.config()), rule));
      } catch (IllegalArgumentException e) {
        throw unreadable(e.getMessage());
      }
    }
    return out;
  }

  /** Replaces the ledger with {@code entries} (sorted, so equal sets give equal files). */
  void write(Set<Entry> entries) {
    List<StoredRule> rules = new ArrayList<>();
    entries.stream().sorted(Entry.ORDER).forEach(e -> rules.add(new StoredRule(e.zone(),
        e.permanent() ? "permanent" : "runtime", e.rule().source().text(), e.rule().service(),
        e.rule().service() != null ? null : e.rule().port() + "/" + e.rule().protocol())));
    byte[] json = (GSON.toJson(new Stored(VERSION, rules)) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FstabWriter.atomicWrite(file, json, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new OperationFailedException("cannot write the firewall rule ledger " + file + ": " + e.getMessage(), e);
    }
  }

  private RefusedException unreadable(String why) {
    return new RefusedException("the firewall rule ledger " + file + " is unreadable (" + why + "); brickyard"
        + " uses it to tell the rules it added from an admin's. Restore it, or remove it: brickyard then treats"
        + " every rule present as an admin's and revokes none of them");
  }
}
