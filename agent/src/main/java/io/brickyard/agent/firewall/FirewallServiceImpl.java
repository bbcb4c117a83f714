package io.brickyard.agent.firewall;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.AllowedGroup;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.FirewallRules;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.ListRulesRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveAllowedRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Opens firewalld services/ports to trusted source networks only, as rich rules, both in the
 * permanent configuration and at runtime (the recipe's two firewall-cmd calls, without the
 * reload that would drop other runtime state). Each rule is queried first, in each of the two
 * configurations separately, and only the missing ones are added; so a rule present only at
 * runtime (someone forgot --permanent) is repaired, and a converged node reports changed=false.
 * Reads and changes go over firewalld's D-Bus API with busctl (milliseconds each; firewall-cmd,
 * a Python start-up per call, only where busctl is missing), so with busctl no firewall-cmd runs.
 *
 * <p>EnsureAllowed is declarative for Brickyard's own rules: the request is the complete set of
 * rules Brickyard keeps open on this node, and every rule Brickyard added earlier that the request
 * no longer names (another source, service, port or zone) is revoked, in both configurations, so
 * that access removed from the spec is really closed. Which rules are Brickyard's is known from the
 * node's {@link FirewallLedger} (it explains why a ledger): an admin's rule, even one identical to
 * a rule Brickyard would make, is never revoked. RemoveAllowed removes exactly the rules named,
 * whoever made them.
 */
public final class FirewallServiceImpl extends FirewallServiceGrpc.FirewallServiceImplBase {
  private final CommandRunner runner;
  private final FirewallLedger ledger;

  public FirewallServiceImpl(AgentContext ctx) {
    this(ctx.runner(), ctx.paths().stateDir().resolve(FirewallLedger.FILE));
  }

  /** {@code ledgerFile}: the node's record of the rules Brickyard added ({@link FirewallLedger}). */
  public FirewallServiceImpl(CommandRunner runner, Path ledgerFile) {
    this.runner = runner;
    this.ledger = new FirewallLedger(ledgerFile);
  }

  @Override
  public void ensureAllowed(EnsureAllowedRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> ensureAllowed(req));
  }

  @Override
  public void removeAllowed(RemoveAllowedRequest req, StreamObserver<OperationResult> out) {
    Rpcs.mutating(out, req.getOptions(), () -> removeAllowed(req));
  }

  @Override
  public void listRules(ListRulesRequest req, StreamObserver<FirewallRules> out) {
    Rpcs.unary(out, () -> listRules(req));
  }

  public OperationResult ensureAllowed(EnsureAllowedRequest req) {
    return apply(req.getOptions(), req.getZone(), requested(req), true);
  }

  public OperationResult removeAllowed(RemoveAllowedRequest req) {
    return apply(req.getOptions(), req.getZone(),
        RichRule.expand(req.getSourceCidrsList(), req.getServicesList(), req.getPortsList()), false);
  }

  /**
   * Every rule an EnsureAllowed names: fields 3-5 as one group (sources x services/ports), then
   * each of {@code groups} the same way within itself only, so NFS clients' sources get "nfs" and
   * not the peers' "glusterfs". With groups, fields 3-5 may be left empty altogether; a group or
   * the top level that names sources without services (or the reverse) is refused, naming it.
   */
  static List<RichRule> requested(EnsureAllowedRequest req) {
    List<RichRule> rules = new ArrayList<>();
    boolean topLevel = req.getSourceCidrsCount() + req.getServicesCount() + req.getPortsCount() > 0;
    if (topLevel || req.getGroupsCount() == 0) {
      rules.addAll(RichRule.expand(req.getSourceCidrsList(), req.getServicesList(), req.getPortsList()));
    }
    for (int i = 0; i < req.getGroupsCount(); i++) {
      AllowedGroup g = req.getGroups(i);
      rules.addAll(RichRule.expand("groups[" + i + "].", g.getSourceCidrsList(), g.getServicesList(),
          g.getPortsList()));
    }
    return rules;
  }

  private OperationResult apply(RequestOptions options, String zoneReq, List<RichRule> requested, boolean allow) {
    // a rule asked for twice (a repeated CIDR, or named by two groups) is one rule, edited once
    List<RichRule> rules = List.copyOf(new LinkedHashSet<>(requested));
    if (!zoneReq.isEmpty()) {
      FirewallCmd.checkZone(zoneReq);
    }
    Set<FirewallLedger.Entry> owned = ledger.read(); // an unreadable ledger refuses before anything runs
    Operation op = new Operation(runner, options);
    FirewallReads reads = FirewallReads.open(op);
    reads.requireRunning();
    String zone = reads.resolveZone(zoneReq);
    // The service lists are needed only if a rule must be added; over busctl they are read beside
    // the rule lists rather than after them (one round trip less; two spare reads when converged).
    boolean ahead = allow && reads.cheapReads() && rules.stream().anyMatch(r -> r.service() != null);
    BothReads.Both<BothReads.Both<Predicate<RichRule>, Predicate<RichRule>>, BothReads.Both<Set<String>, Set<String>>> read =
        BothReads.of(() -> BothReads.of(() -> reads.richRules(zone, true), () -> reads.richRules(zone, false)),
            () -> ahead ? reads.knownServices() : null);
    Presence present = new Presence(reads, zone, read.first());
    FirewallEdits editor = reads.edits();
    List<FirewallEdits.Edit> edits = new ArrayList<>();
    Set<RichRule> touched = new LinkedHashSet<>();
    Set<FirewallLedger.Entry> asked = new LinkedHashSet<>();
    for (RichRule rule : rules) {
      for (boolean permanent : new boolean[] {true, false}) {
        asked.add(new FirewallLedger.Entry(zone, permanent, rule));
        if (present.test(zone, permanent, rule) != allow) {
          edits.add(editor.edit(zone, rule, permanent, allow));
          touched.add(rule);
        }
      }
    }
    // Brickyard's own rules that are not asked for: revoked if present, forgotten if gone already
    Set<FirewallLedger.Entry> revoke = new LinkedHashSet<>();
    Set<FirewallLedger.Entry> gone = new LinkedHashSet<>();
    if (allow) {
      for (FirewallLedger.Entry e : owned) {
        if (!asked.contains(e)) {
          (present.test(e.zone(), e.permanent(), e.rule()) ? revoke : gone).add(e);
        }
      }
      revoke.forEach(e -> edits.add(editor.edit(e.zone(), e.rule(), e.permanent(), false)));
      // only the services about to be opened are required to exist
      List<String> opening = edits.stream().filter(FirewallEdits.Edit::add).map(e -> e.rule().service())
          .filter(Objects::nonNull).distinct().toList();
      if (read.second() == null) {
        reads.requireServices(opening);
      } else if (!opening.isEmpty()) {
        reads.requireServices(opening, read.second());
      }
    }
    // what is no longer there is forgotten: Brickyard's rules gone by other hands, or removed on request
    Set<FirewallLedger.Entry> forget = allow ? gone : asked;
    runRecorded(op, editor, edits, owned, forget);
    String what = rules.size() + " rich rule(s) in zone " + zone;
    if (!op.changed()) {
      return op.unchanged(what + (allow ? " already present" : " already absent") + " (permanent and runtime)");
    }
    List<String> done = new ArrayList<>();
    if (!touched.isEmpty()) {
      done.add((allow ? "added " : "removed ") + touched.size() + " of " + what);
    }
    if (!revoke.isEmpty()) {
      done.add(revoked(revoke, zone));
    }
    return op.done(String.join("; ", done));
  }

  /**
   * Runs the edits and keeps the ledger true (never in a dry run): additions are recorded before
   * they are made, then the ledger is corrected to what was really done: an addition someone else
   * made first is not Brickyard's, a removed rule and the {@code forget} entries are no longer
   * there (see {@link FirewallLedger}).
   */
  private void runRecorded(Operation op, FirewallEdits editor, List<FirewallEdits.Edit> edits,
      Set<FirewallLedger.Entry> owned, Set<FirewallLedger.Entry> forget) {
    Set<FirewallLedger.Entry> intent = new LinkedHashSet<>(owned);
    edits.stream().filter(FirewallEdits.Edit::add).forEach(e -> intent.add(entry(e)));
    if (!op.dryRun() && !intent.equals(owned)) {
      ledger.write(intent);
    }
    List<FirewallEdits.Edit> made = editor.run(op, edits);
    if (!op.dryRun()) {
      Set<FirewallLedger.Entry> after = new LinkedHashSet<>(intent);
      after.removeAll(forget);
      for (FirewallEdits.Edit e : edits) {
        if (!e.add() || !made.contains(e)) {
          after.remove(entry(e));
        }
      }
      if (!after.equals(intent)) {
        ledger.write(after);
      }
    }
  }

  private static FirewallLedger.Entry entry(FirewallEdits.Edit e) {
    return new FirewallLedger.Entry(e.zone(), e.permanent(), e.rule());
  }

  /**
   * "revoked glusterfs from 10.2.0.0/16 (...)": what the plan shows for access the request no
   * longer names; one line per rule, whichever of its two configurations held it.
   */
  private static String revoked(Set<FirewallLedger.Entry> revoke, String zone) {
    Set<String> lines = new LinkedHashSet<>();
    for (FirewallLedger.Entry e : revoke) {
      lines.add(e.rule().target() + " from " + e.rule().source().text()
          + (e.zone().equals(zone) ? "" : " in zone " + e.zone()));
    }
    return "revoked " + String.join(", ", lines) + " (added by brickyard, no longer requested)";
  }

  /**
   * Whether a rule is in a zone's configuration: the request's zone as already read, and any other
   * zone the ledger names (the spec's zone changed), read on first need; a zone that no longer
   * exists in a configuration holds no rules there.
   */
  private static final class Presence {
    private final FirewallReads reads;
    private final Map<String, BothReads.Both<Predicate<RichRule>, Predicate<RichRule>>> zones = new HashMap<>();
    private BothReads.Both<Set<String>, Set<String>> known;

    Presence(FirewallReads reads, String zone, BothReads.Both<Predicate<RichRule>, Predicate<RichRule>> read) {
      this.reads = reads;
      zones.put(zone, read);
    }

    boolean test(String zone, boolean permanent, RichRule rule) {
      BothReads.Both<Predicate<RichRule>, Predicate<RichRule>> z = zones.computeIfAbsent(zone, this::read);
      return (permanent ? z.first() : z.second()).test(rule);
    }

    private BothReads.Both<Predicate<RichRule>, Predicate<RichRule>> read(String zone) {
      if (known == null) {
        known = BothReads.of(() -> reads.zones(true), () -> reads.zones(false));
      }
      Predicate<RichRule> none = r -> false;
      boolean perm = known.first().contains(zone);
      boolean run = known.second().contains(zone);
      return BothReads.of(() -> perm ? reads.richRules(zone, true) : none, () -> run ? reads.richRules(zone, false) : none);
    }
  }

  public FirewallRules listRules(ListRulesRequest req) {
    Operation op = new Operation(runner, true);
    FirewallRules.Builder b = FirewallRules.newBuilder();
    FirewallReads reads = FirewallReads.open(op);
    if (!reads.running()) {
      return b.setZone(req.getZone()).setRunning(false).build();
    }
    String zone = reads.resolveZone(req.getZone());
    BothReads.Both<List<String>, List<String>> rules =
        BothReads.of(() -> reads.listRichRules(zone, true), () -> reads.listRichRules(zone, false));
    BothReads.Both<List<String>, List<String>> open =
        BothReads.of(() -> reads.zoneServices(zone), () -> reads.zonePorts(zone));
    return b.setZone(zone).setRunning(true)
        .addAllRuntimeRichRules(rules.second())
        .addAllPermanentRichRules(rules.first())
        .addAllServices(open.first())
        .addAllPorts(open.second())
        .build();
  }
}
