package io.brickyard.agent.vm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal writer of the "newc" cpio format the kernel unpacks as initramfs (see the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst). Written in Java so that building the
 * initramfs needs neither cpio nor a shell pipeline on the host.
 */
final class Cpio {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int ino = 1;

  Cpio dir(String name) {
    return entry(name, 0040755, new byte[0], 0, 0);
  }

  Cpio file(String name, int perm, byte[] data) {
    return entry(name, 0100000 | perm, data, 0, 0);
  }

  Cpio charDevice(String name, int major, int minor) {
    return entry(name, 0020600, new byte[0], major, minor);
  }

  byte[] finish() {
    entry("TRAILER!!!", 0, new byte[0], 0, 0);
    return out.toByteArray();
  }

  private Cpio entry(String name, int mode, byte[] data, int rdevMajor, int rdevMinor) {
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
    String header = "070701" + hex(ino++) + hex(mode) + hex(0) + hex(0) + hex(1) + hex(0) + hex(data.length)
        + hex(0) + hex(0) + hex(rdevMajor) + hex(rdevMinor) + hex(n.length) + hex(0);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(n);
    pad();
    out.writeBytes(data);
    pad();
    return this;
  }

  private void pad() {
    while (out.size() % 4 != 0) {
      out.write(0);
    }
  }

  private static String hex(int v) {
    return String.format("%08x", v);
  }
}
