package io.brickyard.agent.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Kernel text symbols from a System.map or a /proc/kallsyms dump (same format: {@code address
 * type name [module]}), to turn a stuck vCPU's RIP into {@code function+0xoffset}. Only works
 * because the VM kernel boots with {@code nokaslr}: the addresses in the file are then the
 * addresses the guest really runs at.
 *
 * <p>Debian's /boot/System.map-* is a one-line stub ("The real System.map is in the
 * linux-image-<version>-dbg package"), so the usual source is the guest's own /proc/kallsyms,
 * which the initramfs dumps to the out share (see {@link Initramfs}); a real System.map (a -dbg or
 * self-built kernel) is used when there is one.
 */
final class SymbolTable {
  /** Larger than any kernel function; beyond it the nearest symbol is not the one containing addr. */
  static final long MAX_OFFSET = 0x10000;
  private final TreeMap<Long, String> text;
  private final String source;

  private SymbolTable(TreeMap<Long, String> text, String source) {
    this.text = text;
    this.source = source;
  }

  /** Where the symbols came from, or why there are none. */
  String source() {
    return source;
  }

  boolean isEmpty() {
    return text.isEmpty();
  }

  /** No symbols; {@code why} says why (shown in the diagnosis). */
  static SymbolTable none(String why) {
    return new SymbolTable(new TreeMap<>(Long::compareUnsigned), why);
  }

  /**
   * Reads text symbols (types t/T) of {@code file}; a missing, unreadable or stub file gives an
   * empty table whose {@link #source()} says so.
   */
  static SymbolTable read(Path file) {
    if (file == null || !Files.isReadable(file)) {
      return none("no " + file);
    }
    try {
      SymbolTable t = parse(Files.readString(file), file.toString());
      return t.isEmpty() ? none(file + " has no text symbols (Debian ships a stub; the real one is in -dbg)") : t;
    } catch (IOException | RuntimeException e) {
      return none(file + " unreadable: " + e);
    }
  }

  static SymbolTable parse(String text, String source) {
    TreeMap<Long, String> syms = new TreeMap<>(Long::compareUnsigned);
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3 || f[0].length() != 16 || !(f[1].equals("t") || f[1].equals("T"))) {
        continue;
      }
      long addr = Long.parseUnsignedLong(f[0], 16);
      String name = f.length > 3 ? f[2] + " " + f[3] : f[2];
      syms.putIfAbsent(addr, name); // first name wins when two share an address (function before section marker)
    }
    return new SymbolTable(syms, source);
  }

  /**
   * {@code name+0xoff} of the nearest symbol at or below {@code addr}; empty when there is none
   * within {@link #MAX_OFFSET} (a firmware address, or code whose symbols the table lacks: a far
   * lower symbol would name the wrong function).
   */
  Optional<String> lookup(long addr) {
    Map.Entry<Long, String> e = text.floorEntry(addr);
    if (e == null || Long.compareUnsigned(addr - e.getKey(), MAX_OFFSET) > 0) {
      return Optional.empty();
    }
    return Optional.of(e.getValue() + "+0x" + Long.toHexString(addr - e.getKey()));
  }
}
