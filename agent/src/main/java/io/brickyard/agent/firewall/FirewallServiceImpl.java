package io.brickyard.agent.firewall;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.Rpcs;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.FirewallRules;
import io.brickyard.api.agent.v1.FirewallServiceGrpc;
import io.brickyard.api.agent.v1.ListRulesRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveAllowedRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 */
public final class FirewallServiceImpl extends FirewallServiceGrpc.FirewallServiceImplBase {
  private final CommandRunner runner;

  public FirewallServiceImpl(AgentContext ctx) {
    this(ctx.runner());
  }

  public FirewallServiceImpl(CommandRunner runner) {
    this.runner = runner;
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
    return apply(req.getOptions(), req.getZone(), req.getSourceCidrsList(), req.getServicesList(),
        req.getPortsList(), true);
  }

  public OperationResult removeAllowed(RemoveAllowedRequest req) {
    return apply(req.getOptions(), req.getZone(), req.getSourceCidrsList(), req.getServicesList(),
        req.getPortsList(), false);
  }

  private OperationResult apply(RequestOptions options, String zoneReq, List<String> cidrs,
      List<String> services, List<String> ports, boolean allow) {
    // a rule asked for twice (a repeated CIDR) is one rule, edited once
    List<RichRule> rules = List.copyOf(new LinkedHashSet<>(RichRule.expand(cidrs, services, ports)));
    if (!zoneReq.isEmpty()) {
      FirewallCmd.checkZone(zoneReq);
    }
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
    BothReads.Both<Predicate<RichRule>, Predicate<RichRule>> present = read.first();
    FirewallEdits editor = reads.edits();
    List<FirewallEdits.Edit> edits = new ArrayList<>();
    Set<RichRule> touched = new LinkedHashSet<>();
    for (RichRule rule : rules) {
      for (boolean permanent : new boolean[] {true, false}) {
        if ((permanent ? present.first() : present.second()).test(rule) != allow) {
          edits.add(editor.edit(zone, rule, permanent, allow));
          touched.add(rule);
        }
      }
    }
    if (allow) {
      // only the services about to be opened are required to exist
      List<String> opening = edits.stream().map(e -> e.rule().service()).filter(Objects::nonNull).distinct().toList();
      if (read.second() == null) {
        reads.requireServices(opening);
      } else if (!opening.isEmpty()) {
        reads.requireServices(opening, read.second());
      }
    }
    editor.run(op, edits);
    String what = rules.size() + " rich rule(s) in zone " + zone;
    if (!op.changed()) {
      return op.unchanged(what + (allow ? " already present" : " already absent") + " (permanent and runtime)");
    }
    return op.done((allow ? "added " : "removed ") + touched.size() + " of " + what);
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
