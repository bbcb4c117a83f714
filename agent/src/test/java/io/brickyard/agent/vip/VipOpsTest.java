package io.brickyard.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.OperationFailedException;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.EnsureVipAbsentRequest;
import io.brickyard.api.agent.v1.EnsureVipPresentRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.common.exec.CommandFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decisions and exact commands on real captured output: {@code ip -json addr show} of lab hosts
 * (fixtures/ip/vip-*.json: "none" = a node holding no VIP, "held" = one holding 10.231.9.100/24 as
 * a VIP beside its own secondary 10.231.9.51/24, "several-links" = that plus a NOARP link, a down
 * link and a second link in the same subnet) and iputils arping (fixtures/arping). The real tools
 * run in VipLabTest.
 */
class VipOpsTest {
  private static final String IP = "ip -json addr show";
  private static final String DAD_101 = "timeout --preserve-status -s INT 0.500 arping -D -c 1 -I eth0 10.231.9.100";
  private final VipOps ops = new VipOps();

  private static ScriptedRunner node(String fixture) {
    return new ScriptedRunner().ok(IP, ScriptedRunner.fixture("ip/" + fixture + ".json"));
  }

  private static EnsureVipPresentRequest.Builder present(String cidr) {
    return EnsureVipPresentRequest.newBuilder().setAddress(cidr);
  }

  private OperationResult add(ScriptedRunner r, EnsureVipPresentRequest.Builder req) {
    return ops.ensurePresent(new Operation(r, req.getOptions().getDryRun()), req.build());
  }

  private static List<String> argv(OperationResult r) {
    return r.getCommandsList().stream().map(c -> String.join(" ", c.getArgvList())).toList();
  }

  @Test
  void addsProbesFirstThenAddsWithTheLabelThenAnnounces() {
    ScriptedRunner r = node("vip-none")
        .ok(DAD_101, ScriptedRunner.fixture("arping/dad-free.txt"))
        .ok("ip addr add 10.231.9.100/24 dev eth0 label eth0:by", "")
        .ok("timeout --preserve-status -s INT 0.300 arping -U -c 1 -I eth0 10.231.9.100", ScriptedRunner.fixture("arping/garp.txt"));
    OperationResult res = add(r, present("10.231.9.100/24"));
    assertThat(res.getChanged()).isTrue();
    assertThat(r.ranJoined()).containsExactly(IP, DAD_101, "ip addr add 10.231.9.100/24 dev eth0 label eth0:by",
        "timeout --preserve-status -s INT 0.300 arping -U -c 1 -I eth0 10.231.9.100");
    assertThat(argv(res)).containsExactly(DAD_101, "ip addr add 10.231.9.100/24 dev eth0 label eth0:by",
        "timeout --preserve-status -s INT 0.300 arping -U -c 1 -I eth0 10.231.9.100");
    assertThat(res.getSummary()).contains("added VIP 10.231.9.100/24 on eth0", "500 ms");
  }

  @Test
  void dryRunReadsOnlyAndPlansTheProbeTheAddAndTheAnnouncement() {
    ScriptedRunner r = node("vip-none");
    OperationResult res = add(r, present("10.231.9.100/24").setInterface("eth0")
        .setOptions(io.brickyard.api.agent.v1.RequestOptions.newBuilder().setDryRun(true)));
    assertThat(r.ranJoined()).containsExactly(IP);
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).allMatch(CommandRecord::getPlannedOnly);
    assertThat(argv(res)).hasSize(3).first().isEqualTo(DAD_101);
    assertThat(res.getSummary()).startsWith("would: add VIP 10.231.9.100/24 on eth0 unless another host answers");
  }

  @Test
  void anotherHostAnsweringTheProbeRefusesWithItsMacAndAddsNothing() {
    ScriptedRunner r = node("vip-none").on(DAD_101, 1, ScriptedRunner.fixture("arping/dad-held.txt"), "");
    assertThatThrownBy(() -> add(r, present("10.231.9.100/24")))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("address 10.231.9.100 held by MAC 26:68:e0:74:9b:b0");
    assertThat(r.ranJoined()).containsExactly(IP, DAD_101);
  }

  @Test
  void aProbeThatCouldNotRunIsAFailureNotAFreeAddress() {
    ScriptedRunner r = node("vip-none").on(DAD_101, 2, "", ScriptedRunner.fixture("arping/dad-no-device.txt"));
    assertThatThrownBy(() -> add(r, present("10.231.9.100/24"))).isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("Device nope0 not available");
    assertThat(r.ranJoined()).containsExactly(IP, DAD_101);
  }

  @Test
  void exitOneWithoutAnAnswerIsAFailureNotAHolder() {
    // arping exits 1 on a bad argument too: only a reply line means "held".
    ScriptedRunner r = node("vip-none").on(DAD_101, 1, "", ScriptedRunner.fixture("arping/dad-invalid-argument.txt"));
    assertThatThrownBy(() -> add(r, present("10.231.9.100/24"))).isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("invalid argument");
  }

  @Test
  void alreadyHeldIsUnchangedWithoutProbeOrAnnouncement() {
    ScriptedRunner r = node("vip-held");
    OperationResult res = add(r, present("10.231.9.100/24").setInterface("eth0"));
    assertThat(res.getChanged()).isFalse();
    assertThat(res.getCommandsList()).isEmpty();
    assertThat(r.ranJoined()).containsExactly(IP);
  }

  @Test
  void heldWithAnotherPrefixOrOnAnotherInterfaceIsRefused() {
    assertThatThrownBy(() -> add(node("vip-held"), present("10.231.9.100/32")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("held here as 10.231.9.100/24 on eth0");
    assertThatThrownBy(() -> add(node("vip-several-links"), present("10.231.9.100/24").setInterface("eth1p")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("EnsureVipAbsent");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.231.9.1/24", "10.231.9.51/24"})
  void aNodeAddressIsNeverTakenAsAVip(String cidr) {
    ScriptedRunner r = node("vip-held");
    assertThatThrownBy(() -> add(r, present(cidr))).isInstanceOf(RefusedException.class)
        .hasMessageContaining("is a node address on eth0");
    assertThat(r.ranJoined()).containsExactly(IP);
  }

  @Test
  void outsideEverySubnetIsRefusedNamingTheSubnets() {
    assertThatThrownBy(() -> add(node("vip-none"), present("10.9.9.9/24")))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("outside every subnet of this node (10.231.9.0/24 on eth0)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.231.9.0/24", "10.231.9.255/24"})
  void networkAndBroadcastAreRefused(String cidr) {
    assertThatThrownBy(() -> add(node("vip-none"), present(cidr)))
        .isInstanceOf(RefusedException.class).hasMessageContaining("network or broadcast address of 10.231.9.0/24");
  }

  @Test
  void prefixMustBeTheSubnetsOrSlash32() {
    assertThatThrownBy(() -> add(node("vip-none"), present("10.231.9.100/16")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("(/24) or /32");
    assertThatThrownBy(() -> add(node("vip-none"), present("10.231.9.100/25")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("(/24) or /32");
    ScriptedRunner r = node("vip-none").ok(DAD_101, ScriptedRunner.fixture("arping/dad-free.txt"))
        .ok("ip addr add 10.231.9.100/32 dev eth0 label eth0:by", "")
        .ok("timeout --preserve-status -s INT 0.300 arping -U -c 1 -I eth0 10.231.9.100", ScriptedRunner.fixture("arping/garp.txt"));
    assertThat(add(r, present("10.231.9.100/32")).getChanged()).isTrue();
  }

  @Test
  void twoInterfacesInTheSubnetNeedTheInterfaceNamed() {
    assertThatThrownBy(() -> add(node("vip-several-links"), present("10.231.9.150/24")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("subnets of eth1p and eth0: name the interface");
    String dad = "timeout --preserve-status -s INT 0.500 arping -D -c 1 -I eth0 10.231.9.150";
    ScriptedRunner r = node("vip-several-links").ok(dad, ScriptedRunner.fixture("arping/dad-free.txt"))
        .ok("ip addr add 10.231.9.150/24 dev eth0 label eth0:by", "")
        .ok("timeout --preserve-status -s INT 0.300 arping -U -c 1 -I eth0 10.231.9.150", ScriptedRunner.fixture("arping/garp.txt"));
    assertThat(add(r, present("10.231.9.150/24").setInterface("eth0")).getChanged()).isTrue();
  }

  @Test
  void aNamedInterfaceMustHoldTheSubnetAndExist() {
    assertThatThrownBy(() -> add(node("vip-several-links"), present("10.231.9.150/24").setInterface("eth2")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("outside every subnet of eth2 (172.20.0.0/24 on eth2)");
    assertThatThrownBy(() -> add(node("vip-none"), present("10.231.9.150/24").setInterface("eth7")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("no interface eth7");
  }

  @Test
  void downAndNoarpInterfacesAreRefused() {
    assertThatThrownBy(() -> add(node("vip-several-links"), present("172.20.0.10/24")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("interface eth2 is down");
    assertThatThrownBy(() -> add(node("vip-several-links"), present("192.168.77.10/24")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("eth1 does not speak ARP");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.231.9.100", "-10.231.9.100/24", "10.231.9.100/24 ", " 10.231.9.100/24",
      "10.231.9.0100/24", "10.231.9.010/24", "10.231.9.256/24", "10.231.9.100/33", "10.231.9.100/-1",
      "10.231.9.100/024", "fd00::100/64", "localhost/24", "10.231.9/24", "10.231.9.100/24\n-f",
      "127.0.0.5/8", "0.0.0.0/0", "224.0.0.1/24", "255.255.255.255/32", "169.254.1.1/16"})
  void hostileOrOddAddressesAreInvalidAndNothingRuns(String cidr) {
    ScriptedRunner r = new ScriptedRunner();
    assertThatThrownBy(() -> add(r, present(cidr))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("address: ");
    assertThat(r.ranJoined()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-eth0", "--help", "eth0 x", "../eth0", ".eth0", "eth0/1", "abcdefghijklmnop", "eth0\n"})
  void hostileInterfaceNamesAreInvalidAndNothingRuns(String dev) {
    ScriptedRunner r = new ScriptedRunner();
    assertThatThrownBy(() -> add(r, present("10.231.9.100/24").setInterface(dev)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("interface: ");
    assertThat(r.ranJoined()).isEmpty();
  }

  @Test
  void dadWaitAndAnnouncementsAreBoundedKnobs() {
    assertThatThrownBy(() -> add(new ScriptedRunner(), present("10.231.9.100/24").setDadWaitMillis(50)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dad_wait_millis");
    assertThatThrownBy(() -> add(new ScriptedRunner(), present("10.231.9.100/24").setGratuitousArps(6)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("gratuitous_arps");
    String dad = "timeout --preserve-status -s INT 1.500 arping -D -c 2 -I eth0 10.231.9.100";
    ScriptedRunner r = node("vip-none").ok(dad, ScriptedRunner.fixture("arping/dad-free.txt"))
        .ok("ip addr add 10.231.9.100/24 dev eth0 label eth0:by", "")
        .ok(GARP_3, "ARPING 10.231.9.100 from 10.231.9.100 eth0\nSent 3 probes (3 broadcast(s))\n");
    add(r, present("10.231.9.100/24").setDadWaitMillis(1500).setGratuitousArps(3));
    // three requests a second apart, stopped 300 ms after the last instead of arping's own 1 s wait
    assertThat(r.ranJoined()).contains(dad, GARP_3);
  }

  private static final String GARP_3 = "timeout --preserve-status -s INT 2.300 arping -U -c 3 -I eth0 10.231.9.100";
  private static final String GARP_1 = "timeout --preserve-status -s INT 0.300 arping -U -c 1 -I eth0 10.231.9.100";
  private static final String GARP_NONE_SENT = "ARPING 10.231.9.100 from 10.231.9.100 eth0\nSent 0 probes (0 "
      + "broadcast(s))\nReceived 0 response(s)\n";

  @Test
  void anAnnounceStoppedBeforeItSentIsRunAgainAndThenFails() {
    ScriptedRunner once = node("vip-none").ok(DAD_101, ScriptedRunner.fixture("arping/dad-free.txt"))
        .ok("ip addr add 10.231.9.100/24 dev eth0 label eth0:by", "")
        .ok(GARP_1, GARP_NONE_SENT).ok(GARP_1, ScriptedRunner.fixture("arping/garp.txt"));
    assertThat(add(once, present("10.231.9.100/24")).getChanged()).isTrue();
    assertThat(once.ranJoined()).filteredOn(GARP_1::equals).hasSize(2);

    ScriptedRunner never = node("vip-none").ok(DAD_101, ScriptedRunner.fixture("arping/dad-free.txt"))
        .ok("ip addr add 10.231.9.100/24 dev eth0 label eth0:by", "").ok(GARP_1, GARP_NONE_SENT);
    assertThatThrownBy(() -> add(never, present("10.231.9.100/24"))).isInstanceOf(OperationFailedException.class)
        .hasMessageContaining("no gratuitous ARP for 10.231.9.100 left eth0 in 3 attempts");
    assertThat(never.ranJoined()).filteredOn(GARP_1::equals).hasSize(3);
  }

  @Test
  void aFailedAddIsAnError() {
    ScriptedRunner r = node("vip-none").ok(DAD_101, ScriptedRunner.fixture("arping/dad-free.txt"))
        .on("ip addr add 10.231.9.100/24 dev eth0 label eth0:by", 2, "", "RTNETLINK answers: File exists\n");
    assertThatThrownBy(() -> add(r, present("10.231.9.100/24"))).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("File exists");
  }

  private OperationResult remove(ScriptedRunner r, String address, boolean dryRun) {
    return ops.ensureAbsent(new Operation(r, dryRun), EnsureVipAbsentRequest.newBuilder().setAddress(address).build());
  }

  @Test
  void removesAHeldVipWithItsPrefixAndDevice() {
    ScriptedRunner r = node("vip-held").ok("ip addr del 10.231.9.100/24 dev eth0", "");
    OperationResult res = remove(r, "10.231.9.100", false);
    assertThat(res.getChanged()).isTrue();
    assertThat(argv(res)).containsExactly("ip addr del 10.231.9.100/24 dev eth0");
    assertThat(r.ranJoined()).containsExactly(IP, "ip addr del 10.231.9.100/24 dev eth0");
  }

  @Test
  void removeDryRunOnlyReads() {
    ScriptedRunner r = node("vip-held");
    OperationResult res = remove(r, "10.231.9.100", true);
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommands(0).getPlannedOnly()).isTrue();
    assertThat(r.ranJoined()).containsExactly(IP);
  }

  @Test
  void removeOfAnAbsentVipIsUnchanged() {
    OperationResult res = remove(node("vip-none"), "10.231.9.100", false);
    assertThat(res.getChanged()).isFalse();
    assertThat(res.getCommandsList()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.231.9.1", "10.231.9.51", "127.0.0.1"})
  void removeRefusesTheNodesOwnAddresses(String address) {
    ScriptedRunner r = node("vip-held");
    assertThatThrownBy(() -> remove(r, address, false)).isInstanceOf(RefusedException.class)
        .hasMessageContaining("is a node address");
    assertThat(r.ranJoined()).containsExactly(IP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.231.9.100/24", "-10.231.9.100", "10.231.9.100 ", "fd00::1"})
  void removeValidatesTheAddress(String address) {
    ScriptedRunner r = new ScriptedRunner();
    assertThatThrownBy(() -> remove(r, address, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("address: ");
    assertThat(r.ranJoined()).isEmpty();
  }
}
