package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pieces of a VM stall diagnosis that need no VM, on real captures (see fixtures/README.md):
 * QMP sessions of qemu 7.2 (one halted in SeaBIOS, one in an idle 6.1 kernel booted with
 * nokaslr), that kernel's /proc/kallsyms, and Debian's stub System.map.
 */
class StallDiagnosisTest {
  private static final List<String> HMP = List.of("info registers -a", "info cpus");

  private static String fixture(String name) throws IOException {
    try (var in = StallDiagnosisTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, String> session(String name, StringWriter sent) throws IOException {
    return Qmp.converse(new BufferedReader(new StringReader(fixture(name))), sent, HMP);
  }

  private static SymbolTable kallsyms() throws IOException {
    return SymbolTable.parse(fixture("kallsyms/6.1.0-56-amd64-nokaslr-excerpt.txt"), "kallsyms");
  }

  @Test
  void qmpSessionSendsCapabilitiesThenOneHmpCommandEach() throws IOException {
    StringWriter sent = new StringWriter();
    Map<String, String> a = session("qmp/kernel-idle-2cpu.jsonl", sent);
    assertThat(sent.toString().lines()).containsExactly(
        "{\"execute\":\"qmp_capabilities\"}",
        "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info registers -a\"}}",
        "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info cpus\"}}");
    assertThat(a.get("info cpus")).doesNotContain("\r").startsWith("* CPU #0: thread_id=").contains("  CPU #1:");
    assertThat(a.get("info registers -a")).contains("CPU#0", "CPU#1", "RIP=");
  }

  @Test
  void qmpEventsAreSkippedAndErrorsAndHangupsThrow() throws IOException {
    String greeting = fixture("qmp/kernel-idle-2cpu.jsonl").lines().findFirst().orElseThrow();
    String event = "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}";
    String withEvent = greeting + "\n" + event + "\n{\"return\": {}}\n" + event + "\n{\"return\": \"x\\r\\n\"}\n";
    assertThat(Qmp.converse(new BufferedReader(new StringReader(withEvent)), new StringWriter(), List.of("info cpus")))
        .containsExactly(Map.entry("info cpus", "x\n"));
    String error = greeting + "\n{\"error\": {\"class\": \"GenericError\", \"desc\": \"nope\"}}\n";
    assertThatThrownBy(() -> Qmp.converse(new BufferedReader(new StringReader(error)), new StringWriter(), HMP))
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> Qmp.converse(new BufferedReader(new StringReader(greeting + "\n")), new StringWriter(), HMP))
        .hasMessageContaining("closed");
  }

  @Test
  void registersOfAnIdleKernelNameTheHaltFunction() throws IOException {
    List<CpuState> cpus = CpuState.parse(session("qmp/kernel-idle-2cpu.jsonl", new StringWriter()).get("info registers -a"));
    assertThat(cpus).extracting(CpuState::index).containsExactly(0, 1);
    assertThat(cpus.get(0)).isEqualTo(new CpuState(0, "RIP", 0xffffffff81a592ebL, true, 0));
    assertThat(cpus.get(1).describe(kallsyms()))
        .isEqualTo("CPU 1: RIP=ffffffff81a592eb native_safe_halt+0xb HLT=1 CPL=0");
  }

  @Test
  void registersInTheBiosAre32BitAndGetNoKernelSymbol() throws IOException {
    List<CpuState> cpus = CpuState.parse(session("qmp/bios-halt-2cpu.jsonl", new StringWriter()).get("info registers -a"));
    assertThat(cpus).containsExactly(new CpuState(0, "EIP", 0xb7b9, true, 0), new CpuState(1, "EIP", 0xfd09a, true, 0));
    assertThat(cpus.get(0).describe(kallsyms()))
        .isEqualTo("CPU 0: EIP=0000b7b9 (32-bit: firmware or kernel boot stub) HLT=1 CPL=0");
  }

  @Test
  void addressesWithoutSymbolSayWhichPartOfTheBootTheyAreIn() {
    SymbolTable none = SymbolTable.none("n");
    // 0x4f3dbed: where CPU 0 of a real -smp 2 boot was 6 s after start, with nothing printed yet
    assertThat(new CpuState(0, "RIP", 0x4f3dbedL, false, 0).describe(none))
        .isEqualTo("CPU 0: RIP=0000000004f3dbed (low ring-0 address: kernel decompressor / early boot, "
            + "identity-mapped) HLT=0 CPL=0");
    assertThat(new CpuState(1, "RIP", 0x7f0012345678L, false, 3).region()).isEqualTo("(user space)");
  }

  @Test
  void nearestLowerTextSymbolWithinAFunctionsReach() throws IOException {
    SymbolTable t = kallsyms();
    assertThat(t.lookup(0xffffffff81a592e0L)).contains("native_safe_halt+0x0");
    assertThat(t.lookup(0xffffffff81a592efL)).contains("native_safe_halt+0xf");
    assertThat(t.lookup(0xffffffff81a592f0L)).contains("native_halt+0x0");
    assertThat(t.lookup(0xffffffff81a59185L)).as("function before section marker at one address")
        .contains("default_idle+0x5");
    assertThat(t.lookup(0xffffffff81000010L)).contains("_stext+0x10");
    assertThat(t.lookup(0xffffffff80ffffffL)).as("below all text").isEmpty();
    assertThat(t.lookup(0x1000)).as("absolute (A) symbols are not code").isEmpty();
    assertThat(t.lookup(0xffffffffc0001000L)).as("module space, symbols not in the table").isEmpty();
  }

  @Test
  void debiansStubSystemMapAndAMissingFileGiveNoSymbolsAndSayWhy() throws URISyntaxException {
    Path stub = Path.of(StallDiagnosisTest.class.getResource("/fixtures/kallsyms/System.map-6.1.0-56-amd64-debian-stub").toURI());
    SymbolTable t = SymbolTable.read(stub);
    assertThat(t.isEmpty()).isTrue();
    assertThat(t.source()).contains("no text symbols", "-dbg");
    assertThat(SymbolTable.read(stub.resolveSibling("System.map-missing")).source()).startsWith("no ");
  }

  @Test
  void reportTellsBootPlumbingFromCodeUnderTestAndQuotesEverything() throws IOException {
    List<CpuState> cpus = CpuState.parse(session("qmp/kernel-idle-2cpu.jsonl", new StringWriter()).get("info registers -a"));
    String boot = "[    1.0] x\nBRICKYARD-VM-INIT initramfs running uptime=3.1\n[    2.5] y\n";
    StallReport r = StallReport.of("no console output for 240 s", 300, boot, cpus, "* CPU #0: thread_id=1\n",
        SymbolTable.none("none here"), "4.1 3.9 3.0 2/99 123\n", List.of("qemu-system-x86_64", "-smp", "2"));
    assertThat(r.afterBooted()).isFalse();
    assertThat(r.summary()).isEqualTo("no console output for 240 s before BRICKYARD-VM-BOOTED (300 s after start), "
        + "last marker \"BRICKYARD-VM-INIT initramfs running uptime=3.1\"; "
        + "CPU 0: RIP=ffffffff81a592eb (kernel address without a symbol) HLT=1 CPL=0; "
        + "CPU 1: RIP=ffffffff81a592eb (kernel address without a symbol) HLT=1 CPL=0");
    StallReport named = r.withSymbols(kallsyms());
    assertThat(named.render()).contains("BEFORE BRICKYARD-VM-BOOTED (boot plumbing)", "symbols: kallsyms",
        "CPU 1: RIP=ffffffff81a592eb native_safe_halt+0xb", "host /proc/loadavg: 4.1 3.9 3.0 2/99 123",
        "qemu argv: qemu-system-x86_64 -smp 2", "console tail (last 3 lines):", "  | [    2.5] y");
    assertThat(named.withSymbols(SymbolTable.none("later"))).as("a named report keeps its symbols").isSameAs(named);

    String later = boot + "[ 15.0] z BRICKYARD-VM-BOOTED uptime=15.0\nBRICKYARD-VM {\"step\":\"a\"}\n";
    StallReport r2 = StallReport.of("no console output for 240 s", 900, later, List.of(), "QMP failed: x",
        SymbolTable.none("n"), "1", List.of());
    assertThat(r2.afterBooted()).isTrue();
    assertThat(r2.markers()).containsExactly("BRICKYARD-VM-INIT initramfs running uptime=3.1",
        "BRICKYARD-VM-BOOTED uptime=15.0");
    assertThat(r2.render()).contains("AFTER BRICKYARD-VM-BOOTED (the code under test)");
    assertThat(r2.summary()).contains("no CPU state (QMP failed: x)");
  }
}
