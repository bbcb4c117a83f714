package io.brickyard.agent.firewall;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.FirewallRules;
import io.brickyard.api.agent.v1.ListRulesRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveAllowedRequest;
import io.brickyard.api.agent.v1.RequestOptions;
import org.junit.jupiter.api.Test;

/**
 * Decision logic on the firewall-cmd read path, taken where busctl is not installed (the runner
 * answers exit 127, as ProcessRunner and nsenter do for a missing program), against scripted
 * firewall-cmd answers (real outputs/exit codes, see fixtures). The D-Bus read path: {@link FirewallBusTest}.
 */
class FirewallServiceImplTest {
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
    OperationResult res = new FirewallServiceImpl(r).ensureAllowed(glusterfs().build());
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
    OperationResult res = new FirewallServiceImpl(done).ensureAllowed(glusterfs().build());
    assertThat(res.getChanged()).isFalse();
    assertThat(res.getCommandsList()).isEmpty();

    ScriptedRunner none = running()
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "");
    OperationResult dry = new FirewallServiceImpl(none)
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
    OperationResult res = new FirewallServiceImpl(r).removeAllowed(RemoveAllowedRequest.newBuilder()
        .addSourceCidrs("10.130.0.0/16").addServices("glusterfs").build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).singleElement()
        .satisfies(c -> assertThat(c.getArgvList()).contains("--remove-rich-rule=" + RULE));
  }

  @Test
  void refusesWhenFirewalldIsNotRunning() {
    // exit 252 "not running" when dbus is up; exit 36 DBUS_ERROR when it is not
    ScriptedRunner r = noBusctl().on("firewall-cmd --state", 252, "not running\n", "");
    assertThatThrownBy(() -> new FirewallServiceImpl(r).ensureAllowed(glusterfs().build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("firewalld is not running");
    assertThat(new FirewallServiceImpl(r).listRules(ListRulesRequest.getDefaultInstance()).getRunning()).isFalse();
  }

  @Test
  void refusesUnknownServiceAndServiceUnknownAtRuntime() {
    String nosuch = "rule family=\"ipv4\" source address=\"10.0.0.0/8\" service name=\"nosuch\" accept";
    ScriptedRunner r = running()
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + nosuch, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + nosuch, 1, "no\n", "");
    assertThatThrownBy(() -> new FirewallServiceImpl(r).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs("10.0.0.0/8").addServices("nosuch").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'nosuch' is not defined");
    ScriptedRunner stale = noBusctl()
        .ok("firewall-cmd --state", "running\n")
        .ok("firewall-cmd --get-default-zone", "public\n")
        .on("firewall-cmd --permanent --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .on("firewall-cmd --zone=public --query-rich-rule=" + RULE, 1, "no\n", "")
        .ok("firewall-cmd --permanent --get-services", fixture("firewall-cmd/get-services.txt"))
        .ok("firewall-cmd --get-services", fixture("firewall-cmd/get-services.txt").replace(" glusterfs ", " "));
    assertThatThrownBy(() -> new FirewallServiceImpl(stale).ensureAllowed(glusterfs().build()))
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
    FirewallRules rules = new FirewallServiceImpl(r).listRules(ListRulesRequest.getDefaultInstance());
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
    assertThatThrownBy(() -> new FirewallServiceImpl(r).ensureAllowed(glusterfs().setZone("storage").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'storage' does not exist");
    assertThatThrownBy(() -> new FirewallServiceImpl(r).ensureAllowed(glusterfs().setZone("bad zone").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("zone:");
  }

  @Test
  void refusesZoneDefinedOnlyPermanently() {
    // created with --permanent --new-zone and never reloaded: firewall-cmd --zone=storage would fail
    ScriptedRunner r = running()
        .ok("firewall-cmd --permanent --get-zones", "block dmz drop external home internal public storage trusted work\n")
        .ok("firewall-cmd --get-zones", "block dmz drop external home internal public trusted work\n");
    assertThatThrownBy(() -> new FirewallServiceImpl(r).ensureAllowed(glusterfs().setZone("storage").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("'storage' is defined")
        .hasMessageContaining("--reload");
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("rich-rule"));
  }
}
