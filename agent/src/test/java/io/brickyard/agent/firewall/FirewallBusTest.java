package io.brickyard.agent.firewall;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.brickyard.agent.dbus.BusctlJson;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.FirewallRules;
import io.brickyard.api.agent.v1.ListRulesRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveAllowedRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.CommandFailedException;
import io.brickyard.common.exec.CommandRunner;
import io.brickyard.common.net.Cidr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The D-Bus path: busctl argv building for reads and rule changes, the JSON parser and the
 * decisions, on busctl output and errors captured from a real firewalld 1.3.3
 * (fixtures/busctl/README.md says how and in which state).
 */
class FirewallBusTest {
  /** This node's state directory: where the ledger of the rules Brickyard added lives. */
  @TempDir
  Path state;

  private FirewallServiceImpl fw(CommandRunner runner) {
    return new FirewallServiceImpl(runner, state.resolve(FirewallLedger.FILE));
  }

  private static final String BUSCTL = "busctl --system --json=short --auto-start=no --timeout=30 ";
  private static final String D = "org.fedoraproject.FirewallD1";
  private static final String P = "/org/fedoraproject/FirewallD1";
  private static final String STATE = BUSCTL + "get-property " + D + " " + P + " " + D + " state";
  private static final String CALL = BUSCTL + "call " + D + " ";
  private static final String DEFAULT_ZONE = CALL + P + " " + D + " getDefaultZone";
  private static final String CONFIG_ZONE = CALL + P + "/config/zone/6 " + D + ".config.zone ";
  private static final String RUNTIME_ADD = CALL + P + " " + D + ".zone addRichRule ssi public ";
  private static final String RUNTIME_REMOVE = CALL + P + " " + D + ".zone removeRichRule ss public ";
  /** Permanent-only in the captured state; the rule the write fixtures were captured with. */
  private static final String R2 =
      "rule family=\"ipv4\" source address=\"10.231.7.2/32\" port port=\"2049\" protocol=\"tcp\" accept";

  /** The captured daemon: runtime and permanent rules differ (see the fixture README). */
  private static ScriptedRunner captured() {
    return captured(fixture("busctl/listServices.json"));
  }

  /** The captured daemon, with another runtime service list. */
  private static ScriptedRunner captured(String runtimeServices) {
    return new ScriptedRunner()
        .ok(STATE, fixture("busctl/get-property-state.json"))
        .ok(DEFAULT_ZONE, fixture("busctl/getDefaultZone.json"))
        .ok(CALL + P + "/config " + D + ".config getServiceNames", fixture("busctl/config-getServiceNames.json"))
        .ok(CALL + P + " " + D + " listServices", runtimeServices)
        .ok(CALL + P + "/config " + D + ".config getZoneByName s public", fixture("busctl/config-getZoneByName.json"))
        .ok(CALL + P + "/config/zone/6 " + D + ".config.zone getRichRules",
            fixture("busctl/config-zone-getRichRules.json"))
        .ok(CALL + P + " " + D + ".zone getRichRules s public", fixture("busctl/runtime-getRichRules.json"));
  }

  private static EnsureAllowedRequest lab(String... servicesThenPorts) {
    return EnsureAllowedRequest.newBuilder().addSourceCidrs("10.231.7.0/24").addServices("glusterfs")
        .addPorts("49152-60999/tcp").addAllServices(List.of(servicesThenPorts)).build();
  }

  @Test
  void parsesEveryReplyShape() {
    assertThat(BusctlJson.string(fixture("busctl/get-property-state.json"))).isEqualTo("RUNNING");
    assertThat(BusctlJson.string(fixture("busctl/getDefaultZone.json"))).isEqualTo("public");
    assertThat(BusctlJson.objectPath(fixture("busctl/config-getZoneByName.json")))
        .isEqualTo("/org/fedoraproject/FirewallD1/config/zone/6");
    assertThat(BusctlJson.strings(fixture("busctl/getZones.json")))
        .containsExactly("block", "dmz", "drop", "external", "home", "internal", "public", "trusted", "work");
    assertThat(BusctlJson.strings(fixture("busctl/config-getZoneNames.json")))
        .isEqualTo(BusctlJson.strings(fixture("busctl/getZones.json")));
    assertThat(BusctlJson.strings(fixture("busctl/listServices.json"))).contains("glusterfs", "nfs", "ssh")
        .hasSizeGreaterThan(100);
    assertThat(BusctlJson.strings(fixture("busctl/zone-getServices.json"))).containsExactly("ssh", "dhcpv6-client");
    assertThat(BusctlJson.ports(fixture("busctl/zone-getPorts.json"))).containsExactly("2049/tcp", "20048/udp");
    // quotes inside the rule are JSON-escaped by busctl and must come back as plain quotes
    assertThat(BusctlJson.strings(fixture("busctl/runtime-getRichRules.json"))).hasSize(4)
        .contains("rule family=\"ipv4\" source address=\"10.231.7.5/24\" service name=\"nfs\" accept");
  }

  @Test
  void portsSortLikeFirewallCmd() {
    // firewall-cmd --list-ports: sorted by (protocol, first port), numerically
    assertThat(FirewallBus.sortPorts(List.of("20048/udp", "49152-60999/tcp", "2049/tcp", "111/udp", "111/tcp")))
        .containsExactly("111/tcp", "2049/tcp", "49152-60999/tcp", "111/udp", "20048/udp");
  }

  @Test
  void rejectsAReplyOfAnotherType() {
    assertThatThrownBy(() -> BusctlJson.strings(fixture("busctl/config-getZoneByName.json")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'as'");
    assertThatThrownBy(() -> BusctlJson.objectPath(fixture("busctl/getDefaultZone.json")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'o'");
  }

  @Test
  void ourRulesAreInFirewalldsStoredForm() {
    // firewalld stored these strings itself (both configurations); ours must be byte-identical
    Cidr lab = Cidr.parseSource("source_cidrs", "10.231.7.0/24");
    List<String> expected = List.of(RichRule.forService(lab, "glusterfs").toString(),
        RichRule.forPort(lab, "49152-60999/tcp").toString(),
        RichRule.forService(Cidr.parseSource("source_cidrs", "fd00:231:7::/64"), "nfs").toString());
    assertThat(BusctlJson.strings(fixture("busctl/runtime-getRichRules.json"))).containsAll(expected);
    assertThat(BusctlJson.strings(fixture("busctl/config-zone-getRichRules.json"))).containsAll(expected)
        .contains(RichRule.forPort(Cidr.parseSource("source_cidrs", "10.231.7.2/32"), "2049/tcp").toString());
  }

  @Test
  void convergedRunsOnlyBusctl() {
    ScriptedRunner r = captured();
    OperationResult res = fw(r).ensureAllowed(lab());
    assertThat(res.getChanged()).isFalse();
    assertThat(res.getCommandsList()).isEmpty();
    assertThat(res.getSummary()).contains("2 rich rule(s) in zone public already present");
    // state + default zone side by side, then the zone path and two rule lists beside the two service
    // lists (read ahead in case a rule must be opened): seven reads, three round trips deep, no change
    assertThat(r.ran()).allMatch(argv -> argv.get(0).equals("busctl")).hasSize(7);
    assertThat(r.ranJoined()).filteredOn(c -> c.contains("getServiceNames") || c.contains("listServices")).hasSize(2);
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("addRichRule") || c.contains("removeRichRule"));
  }

  @Test
  void permanentOnlyRuleGetsOnlyItsRuntimeHalfOverDbus() {
    ScriptedRunner r = captured().ok(RUNTIME_ADD + R2 + " 0", fixture("busctl/zone-addRichRule.json"));
    OperationResult res = fw(r).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.231.7.2/32").addPorts("2049/tcp").build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getWarningsList()).isEmpty();
    assertThat(res.getCommandsList()).singleElement().satisfies(c -> {
      assertThat(c.getArgvList()).containsExactly("busctl", "--system", "--json=short", "--auto-start=no",
          "--timeout=30", "call", D, P, D + ".zone", "addRichRule", "ssi", "public", R2, "0");
      assertThat(c.getExitCode()).isZero();
      assertThat(c.getStdoutTail()).contains("public");
    });
    assertThat(r.ranJoined()).noneMatch(c -> c.startsWith("firewall-cmd"));
  }

  @Test
  void missingEverywhereIsPlannedTwiceInADryRunWithTheBusctlArgv() {
    ScriptedRunner r = captured();
    String rule = "rule family=\"ipv4\" source address=\"10.231.9.0/24\" service name=\"nfs\" accept";
    OperationResult dry = fw(r).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.231.9.0/24").addServices("nfs").setOptions(RequestOptions.newBuilder().setDryRun(true))
        .build());
    assertThat(dry.getCommandsList()).hasSize(2).allMatch(c -> c.getPlannedOnly());
    // permanent first, on the zone's config object read for the permanent rules (read once)
    assertThat(dry.getCommandsList()).extracting(c -> String.join(" ", c.getArgvList()))
        .containsExactly(CONFIG_ZONE + "addRichRule s " + rule, RUNTIME_ADD + rule + " 0");
    assertThat(r.ranJoined()).filteredOn(c -> c.contains(" getZoneByName ")).hasSize(1);
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("addRichRule") || c.startsWith("firewall-cmd"));
  }

  @Test
  void removeTouchesBothConfigurationsOverDbus() {
    String rule = "rule family=\"ipv6\" source address=\"fd00:231:7::/64\" service name=\"nfs\" accept";
    ScriptedRunner r = captured()
        .ok(CONFIG_ZONE + "removeRichRule s " + rule, fixture("busctl/config-zone-removeRichRule.out"))
        .ok(RUNTIME_REMOVE + rule, fixture("busctl/zone-removeRichRule.json"));
    OperationResult res = fw(r).removeAllowed(RemoveAllowedRequest.newBuilder()
        .addSourceCidrs("fd00:231:7::/64").addServices("nfs").build());
    assertThat(res.getCommandsList()).extracting(c -> String.join(" ", c.getArgvList()))
        .containsExactly(CONFIG_ZONE + "removeRichRule s " + rule, RUNTIME_REMOVE + rule);
    assertThat(res.getSummary()).isEqualTo("removed 1 of 1 rich rule(s) in zone public");
    assertThat(r.ranJoined()).noneMatch(c -> c.startsWith("firewall-cmd"));
  }

  @Test
  void aRuleAddedOrRemovedConcurrentlyIsAWarningNotAFailure() {
    // between our read and our write someone else added R2 at runtime: firewalld says ALREADY_ENABLED
    ScriptedRunner added = captured()
        .on(RUNTIME_ADD + R2 + " 0", 1, "", fixture("busctl/zone-addRichRule.already-enabled.stderr"));
    OperationResult res = fw(added).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.231.7.2/32").addPorts("2049/tcp").build());
    assertThat(res.getCommandsList()).singleElement().satisfies(c -> assertThat(c.getExitCode()).isEqualTo(1));
    assertThat(res.getWarningsList()).singleElement().asString()
        .contains("runtime rule already present").contains(R2);

    // ... or removed R2 from the permanent configuration: NOT_ENABLED
    ScriptedRunner removed = captured()
        .on(CONFIG_ZONE + "removeRichRule s " + R2, 1, "",
            fixture("busctl/config-zone-removeRichRule.not-enabled.stderr"));
    OperationResult gone = fw(removed).removeAllowed(RemoveAllowedRequest.newBuilder()
        .addSourceCidrs("10.231.7.2/32").addPorts("2049/tcp").build());
    assertThat(gone.getWarningsList()).singleElement().asString().contains("permanent rule already absent");
  }

  @Test
  void otherDbusErrorsFailAndStopTheEdits() {
    // the same answer for the opposite edit is not a race: NOT_ENABLED on an add is an error
    ScriptedRunner wrong = captured()
        .on(RUNTIME_ADD + R2 + " 0", 1, "", fixture("busctl/zone-removeRichRule.not-enabled.stderr"));
    assertThatThrownBy(() -> fw(wrong).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.231.7.2/32").addPorts("2049/tcp").build()))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("NOT_ENABLED");

    // firewalld refuses the runtime half (the service went away since our read): the error
    // surfaces and nothing after it runs
    String nfs = "rule family=\"ipv4\" source address=\"10.231.9.0/24\" service name=\"nfs\" accept";
    String ssh = "rule family=\"ipv4\" source address=\"10.231.9.0/24\" service name=\"ssh\" accept";
    ScriptedRunner refused = captured()
        .ok(CONFIG_ZONE + "addRichRule s " + nfs, fixture("busctl/config-zone-addRichRule.out"))
        .on(RUNTIME_ADD + nfs + " 0", 1, "", fixture("busctl/zone-addRichRule.invalid-service.stderr"));
    assertThatThrownBy(() -> fw(refused).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.231.9.0/24").addServices("nfs").addServices("ssh").build()))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("INVALID_SERVICE");
    assertThat(refused.ranJoined()).noneMatch(c -> c.contains(ssh));
  }

  @Test
  void notRunningWhetherFirewalldOrTheBusIsGone() {
    for (String gone : List.of("no-firewalld", "no-bus")) {
      // the default zone is read beside the state: it fails the same way, and the state decides
      ScriptedRunner r = new ScriptedRunner().on(STATE, 1, "", fixture("busctl/get-property-state." + gone + ".stderr"))
          .on(DEFAULT_ZONE, 1, "", fixture("busctl/getDefaultZone." + gone + ".stderr"));
      assertThatThrownBy(() -> fw(r).ensureAllowed(lab()))
          .isInstanceOf(RefusedException.class).hasMessageContaining("firewalld is not running");
      assertThat(fw(r).listRules(ListRulesRequest.getDefaultInstance()).getRunning()).isFalse();
      assertThat(r.ranJoined()).noneMatch(c -> c.startsWith("firewall-cmd"));
    }
    // a daemon that answers but failed to load its rules (firewall-cmd --state prints "failed")
    ScriptedRunner failed = new ScriptedRunner()
        .ok(STATE, fixture("busctl/get-property-state.json").replace("RUNNING", "FAILED"))
        .ok(DEFAULT_ZONE, fixture("busctl/getDefaultZone.json"));
    assertThatThrownBy(() -> fw(failed).ensureAllowed(lab()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("firewalld is not running");
  }

  @Test
  void refusesServiceUnknownAtRuntime() {
    // glusterfs.xml installed after firewalld started: known permanently, not at runtime
    ScriptedRunner stale = captured(fixture("busctl/listServices.json").replace("\"glusterfs\",", ""));
    EnsureAllowedRequest missing = EnsureAllowedRequest.newBuilder().addSourceCidrs("10.231.9.0/24")
        .addServices("glusterfs").build();
    assertThatThrownBy(() -> fw(stale).ensureAllowed(missing))
        .isInstanceOf(RefusedException.class).hasMessageContaining("--reload");
    assertThat(stale.ranJoined()).noneMatch(c -> c.contains("addRichRule"));
    // the same stale daemon, but the rule is already there in both configurations: nothing to open
    assertThat(fw(stale).ensureAllowed(lab()).getChanged()).isFalse();
  }

  @Test
  void explicitZoneIsCheckedInBothConfigurations() {
    ScriptedRunner r = new ScriptedRunner()
        .ok(STATE, fixture("busctl/get-property-state.json"))
        .ok(DEFAULT_ZONE, fixture("busctl/getDefaultZone.json"))
        .ok(CALL + P + "/config " + D + ".config getZoneNames", fixture("busctl/config-getZoneNames.json"))
        .ok(CALL + P + " " + D + ".zone getZones", fixture("busctl/getZones.json"));
    assertThatThrownBy(() -> fw(r).ensureAllowed(lab().toBuilder().setZone("storage").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'storage' does not exist");
  }

  @Test
  void listsRulesFromDbus() {
    ScriptedRunner r = captured()
        .ok(CALL + P + " " + D + ".zone getServices s public", fixture("busctl/zone-getServices.json"))
        .ok(CALL + P + " " + D + ".zone getPorts s public", fixture("busctl/zone-getPorts.json"));
    FirewallRules rules = fw(r).listRules(ListRulesRequest.getDefaultInstance());
    assertThat(rules.getZone()).isEqualTo("public");
    assertThat(rules.getRuntimeRichRulesList()).hasSize(4)
        .contains("rule family=\"ipv4\" source address=\"10.231.7.5/24\" service name=\"nfs\" accept");
    assertThat(rules.getPermanentRichRulesList()).hasSize(4)
        .contains("rule family=\"ipv4\" source address=\"10.231.7.2/32\" port port=\"2049\" protocol=\"tcp\" accept");
    // D-Bus gives insertion order; ListRules sorts like firewall-cmd so both read paths agree
    assertThat(rules.getServicesList()).containsExactly("dhcpv6-client", "ssh");
    assertThat(rules.getPortsList()).containsExactly("2049/tcp", "20048/udp");
    assertThat(r.ranJoined()).noneMatch(c -> c.startsWith("firewall-cmd"));
  }

  // --- Brickyard's own rules: revoked when no longer requested, an admin's never (issue #8) ---

  private static String nfsFrom(String source) {
    return "rule family=\"" + (source.contains(":") ? "ipv6" : "ipv4") + "\" source address=\"" + source
        + "\" service name=\"nfs\" accept";
  }

  /** busctl's reply to getRichRules (the form of runtime-getRichRules.json) holding these rules. */
  private static String ruleList(List<String> rules) {
    JsonArray list = new JsonArray();
    rules.forEach(list::add);
    JsonArray data = new JsonArray();
    data.add(list);
    JsonObject reply = new JsonObject();
    reply.addProperty("type", "as");
    reply.add("data", data);
    return reply.toString();
  }

  /** The captured daemon, but with these rich rules in zone public. */
  private static ScriptedRunner daemon(List<String> permanent, List<String> runtime) {
    return new ScriptedRunner()
        .ok(STATE, fixture("busctl/get-property-state.json"))
        .ok(DEFAULT_ZONE, fixture("busctl/getDefaultZone.json"))
        .ok(CALL + P + "/config " + D + ".config getServiceNames", fixture("busctl/config-getServiceNames.json"))
        .ok(CALL + P + " " + D + " listServices", fixture("busctl/listServices.json"))
        .ok(CALL + P + "/config " + D + ".config getZoneByName s public", fixture("busctl/config-getZoneByName.json"))
        .ok(CONFIG_ZONE + "getRichRules", ruleList(permanent))
        .ok(CALL + P + " " + D + ".zone getRichRules s public", ruleList(runtime));
  }

  private static ScriptedRunner daemon(List<String> both) {
    return daemon(both, both);
  }

  private static ScriptedRunner adds(ScriptedRunner r, String... rules) {
    for (String rule : rules) {
      r.ok(CONFIG_ZONE + "addRichRule s " + rule, fixture("busctl/config-zone-addRichRule.out"))
          .ok(RUNTIME_ADD + rule + " 0", fixture("busctl/zone-addRichRule.json"));
    }
    return r;
  }

  private static ScriptedRunner removes(ScriptedRunner r, String... rules) {
    for (String rule : rules) {
      r.ok(CONFIG_ZONE + "removeRichRule s " + rule, fixture("busctl/config-zone-removeRichRule.out"))
          .ok(RUNTIME_REMOVE + rule, fixture("busctl/zone-removeRichRule.json"));
    }
    return r;
  }

  private static EnsureAllowedRequest nfs(String... sources) {
    return EnsureAllowedRequest.newBuilder().addAllSourceCidrs(List.of(sources)).addServices("nfs").build();
  }

  private static final RequestOptions DRY = RequestOptions.newBuilder().setDryRun(true).build();

  @Test
  void aSourceNoLongerRequestedIsRevokedButAnAdminsIdenticalRuleStays() throws Exception {
    String admins = nfsFrom("fd00:231:7::/64");
    String nfs7 = nfsFrom("10.231.7.0/24");
    String nfs9 = nfsFrom("10.231.9.0/24");
    // the admin made, by hand, exactly the rule Brickyard would make for fd00:231:7::/64
    OperationResult three = fw(adds(daemon(List.of(admins)), nfs7, nfs9))
        .ensureAllowed(nfs("10.231.7.0/24", "10.231.9.0/24", "fd00:231:7::/64"));
    assertThat(three.getCommandsList()).hasSize(4).allMatch(c -> c.getExitCode() == 0);
    assertThat(fw(daemon(List.of(admins, nfs7, nfs9)))
        .ensureAllowed(nfs("10.231.7.0/24", "10.231.9.0/24", "fd00:231:7::/64")).getChanged()).isFalse();

    // the spec keeps only 10.231.7.0/24: the plan (a dry run) shows the revocation, writing nothing
    byte[] ledger = Files.readAllBytes(state.resolve(FirewallLedger.FILE));
    ScriptedRunner planned = daemon(List.of(admins, nfs7, nfs9));
    OperationResult dry = fw(planned).ensureAllowed(nfs("10.231.7.0/24").toBuilder().setOptions(DRY).build());
    assertThat(dry.getChanged()).isTrue();
    assertThat(dry.getSummary()).isEqualTo("would: revoked nfs from 10.231.9.0/24 (added by brickyard, no longer"
        + " requested)");
    assertThat(dry.getCommandsList()).allMatch(c -> c.getPlannedOnly()).extracting(c -> String.join(" ", c.getArgvList()))
        .containsExactly(CONFIG_ZONE + "removeRichRule s " + nfs9, RUNTIME_REMOVE + nfs9);
    assertThat(planned.ranJoined()).noneMatch(c -> c.contains("RichRule s") || c.contains("removeRichRule"));
    assertThat(Files.readAllBytes(state.resolve(FirewallLedger.FILE))).isEqualTo(ledger);

    ScriptedRunner applied = removes(daemon(List.of(admins, nfs7, nfs9)), nfs9);
    OperationResult res = fw(applied).ensureAllowed(nfs("10.231.7.0/24"));
    assertThat(res.getCommandsList()).hasSize(2).allMatch(c -> c.getExitCode() == 0 && !c.getPlannedOnly());
    assertThat(applied.ranJoined()).noneMatch(c -> c.contains(admins) || c.contains("addRichRule"));
    // converged: the admin's rule is not Brickyard's to revoke
    ScriptedRunner after = daemon(List.of(admins, nfs7));
    OperationResult again = fw(after).ensureAllowed(nfs("10.231.7.0/24"));
    assertThat(again.getChanged()).isFalse();
    assertThat(again.getCommandsList()).isEmpty();
  }

  @Test
  void onlyTheHalfBrickyardAddedIsRevoked() {
    // R2 is the admin's, permanent only; Brickyard adds its runtime half (so it is ours)
    ScriptedRunner r = captured().ok(RUNTIME_ADD + R2 + " 0", fixture("busctl/zone-addRichRule.json"));
    assertThat(fw(r).ensureAllowed(EnsureAllowedRequest.newBuilder().addSourceCidrs("10.231.7.2/32")
        .addPorts("2049/tcp").build()).getCommandsList()).hasSize(1);
    List<String> runtime = new java.util.ArrayList<>(BusctlJson.strings(fixture("busctl/runtime-getRichRules.json")));
    runtime.add(R2);
    ScriptedRunner later = daemon(BusctlJson.strings(fixture("busctl/config-zone-getRichRules.json")), runtime)
        .ok(RUNTIME_REMOVE + R2, fixture("busctl/zone-removeRichRule.json"));
    OperationResult res = fw(later).ensureAllowed(lab());
    assertThat(res.getCommandsList()).extracting(c -> String.join(" ", c.getArgvList()))
        .containsExactly(RUNTIME_REMOVE + R2);
    assertThat(res.getSummary()).isEqualTo("revoked 2049/tcp from 10.231.7.2/32 (added by brickyard, no longer requested)");
  }

  @Test
  void aRuleSomeoneElseAddedFirstIsNotBrickyards() {
    ScriptedRunner raced = captured()
        .on(RUNTIME_ADD + R2 + " 0", 1, "", fixture("busctl/zone-addRichRule.already-enabled.stderr"));
    assertThat(fw(raced).ensureAllowed(EnsureAllowedRequest.newBuilder().addSourceCidrs("10.231.7.2/32")
        .addPorts("2049/tcp").build()).getWarningsList()).hasSize(1);
    List<String> runtime = new java.util.ArrayList<>(BusctlJson.strings(fixture("busctl/runtime-getRichRules.json")));
    runtime.add(R2);
    ScriptedRunner later = daemon(BusctlJson.strings(fixture("busctl/config-zone-getRichRules.json")), runtime);
    assertThat(fw(later).ensureAllowed(lab()).getChanged()).isFalse();
    assertThat(later.ranJoined()).noneMatch(c -> c.contains("removeRichRule"));
  }

  @Test
  void aRuleRemovedByHandIsForgottenSoTheSameRuleMadeLaterByAnAdminStays() {
    String nfs7 = nfsFrom("10.231.7.0/24");
    String nfs9 = nfsFrom("10.231.9.0/24");
    fw(adds(daemon(List.of()), nfs7, nfs9)).ensureAllowed(nfs("10.231.7.0/24", "10.231.9.0/24"));
    // someone removed Brickyard's nfs9 by hand; the spec then drops 10.231.9.0/24: nothing to revoke
    OperationResult gone = fw(daemon(List.of(nfs7))).ensureAllowed(nfs("10.231.7.0/24"));
    assertThat(gone.getChanged()).isFalse();
    // ... and later an admin makes the very same rule by hand: it is the admin's
    ScriptedRunner admins = daemon(List.of(nfs7, nfs9));
    assertThat(fw(admins).ensureAllowed(nfs("10.231.7.0/24")).getChanged()).isFalse();
    assertThat(admins.ranJoined()).noneMatch(c -> c.contains("removeRichRule"));
  }
}
