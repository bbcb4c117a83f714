package io.brickyard.agent.firewall;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.AllowedGroup;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.FirewallRules;
import io.brickyard.api.agent.v1.ListRulesRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveAllowedRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.common.exec.CommandRunner;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision logic on the firewall-cmd read path, taken where busctl is not installed (the runner
 * answers exit 127, as ProcessRunner and nsenter do for a missing program), against scripted
 * firewall-cmd answers (real outputs/exit codes, see fixtures). The D-Bus read path: {@link FirewallBusTest}.
 */
class FirewallServiceImplTest {
  /** This node's state directory: where the ledger of the rules Brickyard added lives. */
  @TempDir
  Path state;

  private FirewallServiceImpl fw(CommandRunner runner) {
    return new FirewallServiceImpl(runner, state.resolve(FirewallLedger.FILE));
  }

  private static final String RULE =
      "rule family=\"ipv4\" source address=\"10.130.0.0/16\" service name=\"glusterfs\" accept";

  /** No busctl on this node: the probe fails to execute, so firewall-cmd does the reads. */
  static ScriptedRunner noBusctl() {
    String missing = "cannot execute: Cannot run program \"busctl\": error=2, No such file or directory";
    return new ScriptedRunner().on(String.join(" ", FirewallBus.stateCommand().argv()), 127, "", missing)
        .on(String.join(" ", FirewallBus.call(FirewallBus.PATH, FirewallBus.IFACE, "getDefaultZone").argv()), 127, "", missing);
  }

  private static ScriptedRunner running() {
    return noBusctl()
        .ok("firewall-cmd --state", "running\n")
        .ok("firewall-cmd --get-default-zone", "public\n")
        .ok("firewall-cmd --permanent --get-services", fixture("firewall-cmd/get-services.txt"))
        .ok("firewall-cmd --get-services", fixture("firewall-cmd/get-services.txt"));
  }

  private static EnsureAllowedRequest.Builder glusterfs() {
    return EnsureAllowedRequest.newBuilder().addSourceCidrs("10.130.0.0/16").addServices("glusterfs");
  }

  @Test
  void addsOnlyTheMissingHalf() {
    // present permanently, missing at runtime (someone ran only the --permanent half)
    ScriptedRunner r = running()
        .ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, "yes\n")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .ok("firewall-cmd --zone=public --add-rich-rule=" + RULE, "success\n");
    OperationResult res = fw(r).ensureAllowed(glusterfs().build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).hasSize(1);
    assertThat(res.getCommands(0).getArgvList())
        .containsExactly("firewall-cmd", "--zone=public", "--add-rich-rule=" + RULE);
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("--permanent --zone=public --add-rich-rule"));
  }

  @Test
  void convergedIsUnchangedAndDryRunOnlyPlans() {
    ScriptedRunner done = running()
        .ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, "yes\n")
        .ok("firewall-cmd --zone=public --query-rich-rule=" + RULE, "yes\n");
    OperationResult res = fw(done).ensureAllowed(glusterfs().build());
    assertThat(res.getChanged()).isFalse();
    assertThat(res.getCommandsList()).isEmpty();

    ScriptedRunner none = running()
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "");
    OperationResult dry = fw(none)
        .ensureAllowed(glusterfs().setOptions(RequestOptions.newBuilder().setDryRun(true)).build());
    assertThat(dry.getChanged()).isTrue();
    assertThat(dry.getCommandsList()).hasSize(2).allMatch(c -> c.getPlannedOnly());
    assertThat(none.ranJoined()).noneMatch(c -> c.contains("--add-rich-rule"));
  }

  @Test
  void removeRemovesOnlyPresentRules() {
    ScriptedRunner r = running()
        .ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, "yes\n")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .ok("firewall-cmd --permanent --zone=public --remove-rich-rule=" + RULE, "success\n");
    OperationResult res = fw(r).removeAllowed(RemoveAllowedRequest.newBuilder()
        .addSourceCidrs("10.130.0.0/16").addServices("glusterfs").build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).singleElement()
        .satisfies(c -> assertThat(c.getArgvList()).contains("--remove-rich-rule=" + RULE));
  }

  @Test
  void refusesWhenFirewalldIsNotRunning() {
    // exit 252 "not running" when dbus is up; exit 36 DBUS_ERROR when it is not
    ScriptedRunner r = noBusctl().on("firewall-cmd --state", 252, "not running\n", "");
    assertThatThrownBy(() -> fw(r).ensureAllowed(glusterfs().build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("firewalld is not running");
    assertThat(fw(r).listRules(ListRulesRequest.getDefaultInstance()).getRunning()).isFalse();
  }

  @Test
  void refusesUnknownServiceAndServiceUnknownAtRuntime() {
    String nosuch = "rule family=\"ipv4\" source address=\"10.0.0.0/8\" service name=\"nosuch\" accept";
    ScriptedRunner r = running()
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + nosuch, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + nosuch, 1, "no\n", "");
    assertThatThrownBy(() -> fw(r).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.0.0.0/8").addServices("nosuch").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'nosuch' is not defined");
    ScriptedRunner stale = noBusctl()
        .ok("firewall-cmd --state", "running\n")
        .ok("firewall-cmd --get-default-zone", "public\n")
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .ok("firewall-cmd --permanent --get-services", fixture("firewall-cmd/get-services.txt"))
        .ok("firewall-cmd --get-services", fixture("firewall-cmd/get-services.txt").replace(" glusterfs ", " "));
    assertThatThrownBy(() -> fw(stale).ensureAllowed(glusterfs().build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("--reload");
    assertThat(stale.ranJoined()).noneMatch(c -> c.contains("--add-rich-rule"));
  }

  @Test
  void listsRulesFromRealOutput() {
    ScriptedRunner r = noBusctl()
        .ok("firewall-cmd --state", "running\n")
        .ok("firewall-cmd --get-default-zone", "public\n")
        .ok("firewall-cmd --zone=public --list-rich-rules", fixture("firewall-cmd/list-rich-rules.runtime.txt"))
        .ok("firewall-cmd --permanent --zone=public --list-rich-rules",
            fixture("firewall-cmd/list-rich-rules.permanent.txt"))
        .ok("firewall-cmd --zone=public --list-services", fixture("firewall-cmd/list-services.txt"))
        .ok("firewall-cmd --zone=public --list-ports", fixture("firewall-cmd/list-ports.txt"));
    FirewallRules rules = fw(r).listRules(ListRulesRequest.getDefaultInstance());
    assertThat(rules.getZone()).isEqualTo("public");
    assertThat(rules.getRunning()).isTrue();
    assertThat(rules.getRuntimeRichRulesList()).hasSize(4)
        .contains("rule family=\"ipv4\" source address=\"10.231.7.5/24\" service name=\"nfs\" accept");
    assertThat(rules.getPermanentRichRulesList()).hasSize(2);
    assertThat(rules.getServicesList()).containsExactly("dhcpv6-client", "ssh");
    assertThat(rules.getPortsList()).containsExactly("2049/tcp", "20048/udp");
  }

  @Test
  void refusesUnknownZone() {
    ScriptedRunner r = running()
        .ok("firewall-cmd --permanent --get-zones", "block dmz drop external home internal public trusted work\n")
        .ok("firewall-cmd --get-zones", "block dmz drop external home internal public trusted work\n");
    assertThatThrownBy(() -> fw(r).ensureAllowed(glusterfs().setZone("storage").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'storage' does not exist");
    assertThatThrownBy(() -> fw(r).ensureAllowed(glusterfs().setZone("bad zone").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("zone:");
  }

  @Test
  void refusesZoneDefinedOnlyPermanently() {
    // created with --permanent --new-zone and never reloaded: firewall-cmd --zone=storage would fail
    ScriptedRunner r = running()
        .ok("firewall-cmd --permanent --get-zones", "block dmz drop external home internal public storage trusted work\n")
        .ok("firewall-cmd --get-zones", "block dmz drop external home internal public trusted work\n");
    assertThatThrownBy(() -> fw(r).ensureAllowed(glusterfs().setZone("storage").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'storage' is defined")
        .hasMessageContaining("--reload");
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("rich-rule"));
  }

  @Test
  void zoneChangedInTheSpecMovesBrickyardsRulesAndNotAnAdmins() {
    String admins = "rule family=\"ipv4\" source address=\"10.131.0.0/16\" service name=\"glusterfs\" accept";
    ScriptedRunner first = running()
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .ok("firewall-cmd --permanent --zone=public --add-rich-rule=" + RULE, "success\n")
        .ok("firewall-cmd --zone=public --add-rich-rule=" + RULE, "success\n");
    assertThat(fw(first).ensureAllowed(glusterfs().build()).getCommandsList()).hasSize(2);

    // the spec now names zone "internal": the rule moves there; the admin's rule in public stays
    String zones = "block dmz drop external home internal public trusted work\n";
    ScriptedRunner moved = running()
        .ok("firewall-cmd --permanent --get-zones", zones)
        .ok("firewall-cmd --get-zones", zones)
        .on("firewall-cmd --permanent --zone=internal --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=internal --query-rich-rule=" + RULE, 1, "no\n", "")
        .ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, "yes\n")
        .ok("firewall-cmd --zone=public --query-rich-rule=" + RULE, "yes\n")
        .ok("firewall-cmd --permanent --zone=internal --add-rich-rule=" + RULE, "success\n")
        .ok("firewall-cmd --zone=internal --add-rich-rule=" + RULE, "success\n")
        .ok("firewall-cmd --permanent --zone=public --remove-rich-rule=" + RULE, "success\n")
        .ok("firewall-cmd --zone=public --remove-rich-rule=" + RULE, "success\n");
    OperationResult res = fw(moved).ensureAllowed(glusterfs().setZone("internal").build());
    assertThat(res.getSummary()).isEqualTo("added 1 of 1 rich rule(s) in zone internal; revoked glusterfs from"
        + " 10.130.0.0/16 in zone public (added by brickyard, no longer requested)");
    assertThat(res.getCommandsList()).extracting(c -> c.getArgvList().get(c.getArgvCount() - 1))
        .containsExactly("--add-rich-rule=" + RULE, "--add-rich-rule=" + RULE,
            "--remove-rich-rule=" + RULE, "--remove-rich-rule=" + RULE);
    assertThat(moved.ranJoined()).noneMatch(c -> c.contains(admins));
  }

  @Test
  void aRuleFirewallCmdFoundAlreadyThereWhenWritingIsNotBrickyards() {
    // someone else added the runtime rule between our query and our add: firewall-cmd exits 0 with
    // this warning (the lab test checks the prefix on real firewalld; the rest is firewalld's
    // ALREADY_ENABLED message as captured over D-Bus, fixtures/busctl/zone-addRichRule.already-enabled.stderr)
    ScriptedRunner raced = running()
        .ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, "yes\n")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=public --add-rich-rule=" + RULE, 0, "",
            "Warning: ALREADY_ENABLED: '" + RULE + "' already in 'public'\n");
    assertThat(fw(raced).ensureAllowed(glusterfs().build()).getCommandsList()).hasSize(1);
    // the spec moves on to another source: the rule someone else made is not revoked
    String other = RULE.replace("10.130.0.0/16", "10.131.0.0/16");
    ScriptedRunner later = running()
        .ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + other, "yes\n")
        .ok("firewall-cmd --zone=public --query-rich-rule=" + other, "yes\n");
    assertThat(fw(later).ensureAllowed(EnsureAllowedRequest.newBuilder().addSourceCidrs("10.131.0.0/16")
        .addServices("glusterfs").build()).getChanged()).isFalse();
    assertThat(later.ranJoined()).noneMatch(c -> c.contains(RULE));
  }

  /**
   * Groups: each source set gets only its own services and ports (NFS clients "nfs" and a pinned
   * port, peers "glusterfs"), and the ledger works on the union: a group dropped from the request
   * is revoked, the rest stays.
   */
  @Test
  void groupsOpenOnlyTheirOwnServicesAndADroppedGroupIsRevoked() {
    String nfs = "rule family=\"ipv4\" source address=\"10.140.0.0/24\" service name=\"nfs\" accept";
    String mountd = "rule family=\"ipv4\" source address=\"10.140.0.0/24\" port port=\"20048\" protocol=\"tcp\" accept";
    EnsureAllowedRequest both = glusterfs().addGroups(AllowedGroup.newBuilder().addSourceCidrs("10.140.0.0/24")
        .addServices("nfs").addPorts("20048/tcp")).build();
    ScriptedRunner first = running();
    for (String rule : List.of(RULE, nfs, mountd)) {
      first.on("firewall-cmd --permanent --zone=public --query-rich-rule=" + rule, 1, "no\n", "")
          .on("firewall-cmd --zone=public --query-rich-rule=" + rule, 1, "no\n", "")
          .ok("firewall-cmd --permanent --zone=public --add-rich-rule=" + rule, "success\n")
          .ok("firewall-cmd --zone=public --add-rich-rule=" + rule, "success\n");
    }
    OperationResult added = fw(first).ensureAllowed(both);
    assertThat(added.getSummary()).isEqualTo("added 3 of 3 rich rule(s) in zone public");
    assertThat(added.getCommandsList()).extracting(c -> c.getArgvList().get(c.getArgvCount() - 1)).containsExactly(
        "--add-rich-rule=" + RULE, "--add-rich-rule=" + RULE, "--add-rich-rule=" + nfs, "--add-rich-rule=" + nfs,
        "--add-rich-rule=" + mountd, "--add-rich-rule=" + mountd);
    // no cross product: the peers' source gets no nfs, the clients' source no glusterfs
    assertThat(first.ranJoined()).noneMatch(c -> c.contains("10.130.0.0/16\" service name=\"nfs\"")
        || c.contains("10.140.0.0/24\" service name=\"glusterfs\""));

    ScriptedRunner converged = running();
    for (String rule : List.of(RULE, nfs, mountd)) {
      converged.ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + rule, "yes\n")
          .ok("firewall-cmd --zone=public --query-rich-rule=" + rule, "yes\n");
    }
    assertThat(fw(converged).ensureAllowed(both).getChanged()).isFalse();

    // the NFS group leaves the spec: its two rules are revoked, the peers' rule stays
    ScriptedRunner dropped = running();
    for (String rule : List.of(RULE, nfs, mountd)) {
      dropped.ok("firewall-cmd --permanent --zone=public --query-rich-rule=" + rule, "yes\n")
          .ok("firewall-cmd --zone=public --query-rich-rule=" + rule, "yes\n");
    }
    for (String rule : List.of(nfs, mountd)) {
      dropped.ok("firewall-cmd --permanent --zone=public --remove-rich-rule=" + rule, "success\n")
          .ok("firewall-cmd --zone=public --remove-rich-rule=" + rule, "success\n");
    }
    OperationResult revoked = fw(dropped).ensureAllowed(glusterfs().build());
    assertThat(revoked.getSummary()).isEqualTo("revoked 20048/tcp from 10.140.0.0/24, nfs from 10.140.0.0/24"
        + " (added by brickyard, no longer requested)");
    assertThat(dropped.ranJoined()).noneMatch(c -> c.contains("--remove-rich-rule=" + RULE));
  }

  @Test
  void groupsAloneAreEnoughAndEachGroupIsCheckedNamingIt() {
    EnsureAllowedRequest onlyGroups = EnsureAllowedRequest.newBuilder().addGroups(AllowedGroup.newBuilder()
        .addSourceCidrs("10.130.0.0/16").addServices("glusterfs")).build();
    assertThat(FirewallServiceImpl.requested(onlyGroups)).extracting(RichRule::toString).containsExactly(RULE);
    AllowedGroup ok = AllowedGroup.newBuilder().addSourceCidrs("10.140.0.0/24").addServices("nfs").build();
    List<List<Object>> bad = List.of(
        List.of(ok.toBuilder().setSourceCidrs(0, "0.0.0.0/0").build(), "groups[1].source_cidrs: "),
        List.of(ok.toBuilder().clearSourceCidrs().build(), "groups[1].source_cidrs: at least one"),
        List.of(ok.toBuilder().clearServices().build(), "groups[1].services/ports: nothing to allow"),
        List.of(ok.toBuilder().setServices(0, "nfs; rm").build(), "groups[1].services: "),
        List.of(ok.toBuilder().addPorts("20048").build(), "groups[1].ports: "),
        List.of(ok.toBuilder().addPorts("-1/tcp").build(), "groups[1].ports: "));
    for (List<Object> b : bad) {
      ScriptedRunner r = running();
      Answer<OperationResult> a = new Answer<>();
      fw(r).ensureAllowed(glusterfs().addGroups(ok).addGroups((AllowedGroup) b.get(0)).build(), a);
      assertThat(a.status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(a.status.getDescription()).startsWith((String) b.get(1));
      assertThat(r.ran()).isEmpty();
    }
    // top-level sources without services are still refused when groups are given
    assertThatThrownBy(() -> FirewallServiceImpl.requested(onlyGroups.toBuilder().addSourceCidrs("10.1.0.0/16").build()))
        .hasMessageStartingWith("services/ports: nothing to allow");
  }

  /** What an RPC answered: its value or its error status. */
  private static final class Answer<T> implements StreamObserver<T> {
    T value;
    Status status;

    @Override
    public void onNext(T v) {
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      status = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {}
  }

  @Test
  void everyAddressIsInvalidArgumentAndNothingRuns() {
    ScriptedRunner r = running();
    for (String everyone : List.of("0.0.0.0/0", "::/0")) {
      Answer<OperationResult> a = new Answer<>();
      fw(r).ensureAllowed(EnsureAllowedRequest.newBuilder().addSourceCidrs("10.130.0.0/16").addSourceCidrs(everyone)
          .addServices("glusterfs").build(), a);
      assertThat(a.value).isNull();
      assertThat(a.status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(a.status.getDescription()).startsWith("source_cidrs: '" + everyone + "'")
          .contains("never opens a service to everyone");
    }
    assertThat(r.ran()).isEmpty();
  }

  @Test
  void anUnreadableLedgerRefusesNamingTheFileAndNothingRuns() throws Exception {
    Path ledger = state.resolve(FirewallLedger.FILE);
    for (String broken : List.of("{\"version\": 1, \"rules\": [", "{\"version\": 1, \"rules\": [{\"zone\": \"public\","
        + " \"config\": \"permanent\", \"source\": \"-rf\", \"service\": \"nfs\"}]}")) {
      Files.writeString(ledger, broken);
      ScriptedRunner r = running();
      Answer<OperationResult> a = new Answer<>();
      fw(r).ensureAllowed(glusterfs().build(), a);
      assertThat(a.status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(a.status.getDescription()).contains(ledger.toString());
      assertThat(r.ran()).isEmpty();
      assertThat(Files.readString(ledger)).isEqualTo(broken);
    }
  }
}
