package io.brickyard.agent.vm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything known about a VM that stopped making progress, gathered just before qemu is killed,
 * so a CI log alone says where the guest was stuck: which boot markers it reached, where each
 * vCPU was (QMP registers, symbolized), how loaded the host was, how qemu was started and what
 * the console said last. A stall before {@code BRICKYARD-VM-BOOTED} is boot plumbing (kernel,
 * /init, udev, shares), after it the code under test.
 *
 * @param reason       "no console output for N s" or "not powered off within N s"
 * @param elapsedSeconds seconds since qemu started
 * @param markers      the BRICKYARD-VM-INIT/BOOTED/EXIT lines seen, in order
 * @param cpus         from {@code info registers -a}; empty if QMP failed
 * @param qmpNote      {@code info cpus} output, or why QMP gave nothing
 * @param symbols      used to name each RIP ({@link SymbolTable#source()} says which file)
 */
record StallReport(String reason, long elapsedSeconds, List<String> markers, List<CpuState> cpus,
    String qmpNote, SymbolTable symbols, String loadavg, List<String> argv, List<String> consoleTail) {
  static final String BOOTED = "BRICKYARD-VM-BOOTED";
  static final int TAIL_LINES = 60;

  /** Builds the report from the console text (markers and tail are taken from it). */
  static StallReport of(String reason, long elapsedSeconds, String console, List<CpuState> cpus, String qmpNote,
      SymbolTable symbols, String loadavg, List<String> argv) {
    List<String> lines = console.replace("\r", "").lines().toList();
    List<String> markers = lines.stream().map(StallReport::marker).filter(m -> !m.isEmpty()).toList();
    List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    return new StallReport(reason, elapsedSeconds, markers, cpus, qmpNote, symbols, loadavg, argv, tail);
  }

  /** The marker part of a console line (the kernel may print on the same line), or "". */
  static String marker(String line) {
    for (String m : List.of("BRICKYARD-VM-INIT", BOOTED, "BRICKYARD-VM-EXIT")) {
      int i = line.indexOf(m);
      if (i >= 0) {
        return line.substring(i).strip();
      }
    }
    return "";
  }

  /** The guest reached stage 2's BOOTED marker, so the stall is in the code under test. */
  boolean afterBooted() {
    return markers.stream().anyMatch(m -> m.startsWith(BOOTED));
  }

  /**
   * If this report had no symbols (stall before /init saved kallsyms), the same report with RIPs
   * named from {@code other}: attempt 2's kallsyms of the same kernel, valid because of nokaslr.
   */
  StallReport withSymbols(SymbolTable other) {
    if (!symbols.isEmpty() || other.isEmpty()) {
      return this;
    }
    return new StallReport(reason, elapsedSeconds, markers, cpus, qmpNote, other, loadavg, argv, consoleTail);
  }

  /** One line for the retry header: reason, phase, last marker, each CPU. */
  String summary() {
    String last = markers.isEmpty() ? "no marker" : "last marker \"" + markers.get(markers.size() - 1) + "\"";
    String where = cpus.isEmpty() ? "no CPU state (" + qmpNote.strip() + ")"
        : cpus.stream().map(c -> c.describe(symbols)).collect(Collectors.joining("; "));
    return reason + " " + (afterBooted() ? "after " : "before ") + BOOTED + " (" + elapsedSeconds + " s after start), "
        + last + "; " + where;
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("VM stuck: ").append(reason).append(", ").append(elapsedSeconds).append(" s after qemu started, ")
        .append(afterBooted() ? "AFTER " + BOOTED + " (the code under test)" : "BEFORE " + BOOTED + " (boot plumbing)")
        .append('\n');
    b.append("markers seen:").append(markers.isEmpty() ? " none" : "").append('\n');
    markers.forEach(m -> b.append("  ").append(m).append('\n'));
    b.append("vCPUs (QMP info registers -a; symbols: ").append(symbols.source()).append("):\n");
    cpus.forEach(c -> b.append("  ").append(c.describe(symbols)).append('\n'));
    b.append("QMP info cpus: ").append(qmpNote.strip().replace("\n", " | ")).append('\n');
    b.append("host /proc/loadavg: ").append(loadavg.strip()).append('\n');
    b.append("qemu argv: ").append(String.join(" ", argv)).append('\n');
    b.append("console tail (last ").append(consoleTail.size()).append(" lines):\n");
    consoleTail.forEach(l -> b.append("  | ").append(l).append('\n'));
    return b.toString();
  }
}
