package io.brickyard.agent.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one vCPU was when the VM stalled, read from qemu's {@code info registers -a}: the
 * instruction pointer (RIP in long mode, EIP while still in the BIOS or the 32-bit boot stub),
 * whether it sat in HLT, and its privilege level. That is enough to tell "firmware / kernel
 * decompression", "kernel idle, waiting for something" and "spinning in function X" apart.
 */
record CpuState(int index, String register, long ip, boolean halted, int cpl) {
  private static final Pattern CPU = Pattern.compile("^CPU#(\\d+)$", Pattern.MULTILINE);
  private static final Pattern IP = Pattern.compile("\\b([RE]IP)=([0-9a-f]+)\\b");
  private static final Pattern HLT = Pattern.compile("\\bHLT=(\\d)");
  private static final Pattern CPL = Pattern.compile("\\bCPL=(\\d)");

  /** One entry per "CPU#n" block; blocks without an instruction pointer are skipped. */
  static List<CpuState> parse(String infoRegisters) {
    List<CpuState> cpus = new ArrayList<>();
    String text = infoRegisters.replace("\r", "");
    Matcher m = CPU.matcher(text);
    List<int[]> starts = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), Integer.parseInt(m.group(1))});
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
      String block = text.substring(starts.get(i)[0], end);
      Matcher ip = IP.matcher(block);
      if (!ip.find()) {
        continue;
      }
      Matcher hlt = HLT.matcher(block);
      Matcher cpl = CPL.matcher(block);
      cpus.add(new CpuState(starts.get(i)[1], ip.group(1), Long.parseUnsignedLong(ip.group(2), 16),
          hlt.find() && hlt.group(1).equals("1"), cpl.find() ? Integer.parseInt(cpl.group(1)) : -1));
    }
    return cpus;
  }

  /**
   * Where an address without a symbol lies: a 32-bit EIP is SeaBIOS or the kernel's 32-bit entry;
   * a low RIP in ring 0 is the identity-mapped boot code (the bzImage decompressor or the kernel's
   * first instructions, before it runs at its linked ffffffff8... addresses); ring 3 is user space.
   */
  String region() {
    if (register.equals("EIP")) {
      return "(32-bit: firmware or kernel boot stub)";
    }
    if (cpl == 3) {
      return "(user space)";
    }
    if (Long.compareUnsigned(ip, 0xffff800000000000L) < 0) {
      return "(low ring-0 address: kernel decompressor / early boot, identity-mapped)";
    }
    return "(kernel address without a symbol)";
  }

  /** e.g. {@code CPU 0: RIP=ffffffff81a592eb native_safe_halt+0xb HLT=1 CPL=0}. */
  String describe(SymbolTable symbols) {
    String width = register.equals("RIP") ? "%016x" : "%08x";
    String sym = symbols.lookup(ip).orElseGet(this::region);
    return "CPU " + index + ": " + register + "=" + String.format(width, ip) + " " + sym
        + " HLT=" + (halted ? 1 : 0) + " CPL=" + cpl;
  }
}
