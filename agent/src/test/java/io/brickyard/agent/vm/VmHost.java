package io.brickyard.agent.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the VM tier needs from this machine: qemu, a distribution kernel with its modules (this
 * host's own kernel may lack device-mapper; Debian's has it as modules) and a static busybox.
 * Missing pieces fail the test with the package to install; the VM tier never skips silently.
 */
record VmHost(Path qemu, Path kernel, Path modulesDir, Path busybox) {

  static VmHost locate() {
    Path qemu = Path.of("/usr/bin/qemu-system-x86_64");
    require(Files.isExecutable(qemu), "qemu-system-x86_64 not found: apt-get install qemu-system-x86");
    Path kernel;
    try (Stream<Path> s = Files.list(Path.of("/boot"))) {
      kernel = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
          .filter(p -> Files.isDirectory(Path.of("/lib/modules", version(p), "kernel")))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
    } catch (IOException e) {
      kernel = null;
    }
    require(kernel != null && Files.isReadable(kernel),
        "no readable /boot/vmlinuz-* with matching /lib/modules: apt-get install linux-image-amd64 (run as root)");
    Path modules = Path.of("/lib/modules", version(kernel));
    Path busybox = Path.of("/bin/busybox");
    require(Files.isExecutable(busybox), "/bin/busybox not found: apt-get install busybox-static");
    require(isStatic(busybox), "/bin/busybox is dynamically linked and cannot run in the initramfs: "
        + "apt-get install busybox-static");
    return new VmHost(qemu, kernel, modules, busybox);
  }

  /**
   * The kernel's System.map, to name a stuck vCPU's RIP (the kernel boots with nokaslr). May be
   * absent, and on Debian it is a one-line stub; {@link SymbolTable#read} tolerates both.
   */
  Path systemMap() {
    return kernel.resolveSibling("System.map-" + version(kernel));
  }

  static String version(Path vmlinuz) {
    return vmlinuz.getFileName().toString().substring("vmlinuz-".length());
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError("VM tier prerequisite missing: " + message);
    }
  }

  /** An ELF64 executable without a PT_INTERP program header needs no dynamic loader. */
  static boolean isStatic(Path elf) {
    try (RandomAccessFile f = new RandomAccessFile(elf.toFile(), "r")) {
      byte[] id = new byte[16];
      f.readFully(id);
      if (id[0] != 0x7f || id[1] != 'E' || id[4] != 2 || id[5] != 1) {
        return false; // not little-endian ELF64
      }
      long phoff = Long.reverseBytes(readAt(f, 0x20, 8));
      int phentsize = Short.toUnsignedInt(Short.reverseBytes((short) readAt(f, 0x36, 2)));
      int phnum = Short.toUnsignedInt(Short.reverseBytes((short) readAt(f, 0x38, 2)));
      for (int i = 0; i < phnum; i++) {
        int type = Integer.reverseBytes((int) readAt(f, phoff + (long) i * phentsize, 4));
        if (type == 3) { // PT_INTERP
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long readAt(RandomAccessFile f, long pos, int len) throws IOException {
    f.seek(pos);
    return switch (len) {
      case 2 -> f.readShort();
      case 4 -> f.readInt();
      default -> f.readLong();
    };
  }
}
