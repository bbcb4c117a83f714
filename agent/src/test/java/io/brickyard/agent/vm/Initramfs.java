package io.brickyard.agent.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the tiny initramfs: a static busybox, the kernel modules needed to reach the host's root
 * over virtio-9p and to run LVM thin provisioning and XFS, and an /init that
 * <ol>
 *   <li>loads those modules (order from modules.dep),</li>
 *   <li>if there is an out share, saves /proc/kallsyms there: the kernel runs with nokaslr, so a
 *       stall diagnosis can name the functions the vCPUs are stuck in (Debian's System.map is a
 *       stub); a later stall in this boot, or a stall of the previous attempt, is symbolized with it,</li>
 *   <li>mounts the host's / read-only over 9p, with a tmpfs overlay on top so / is writable
 *       inside the VM and nothing is ever written to the host,</li>
 *   <li>switches root into that overlay and runs the stage-2 script given by the caller,</li>
 *   <li>powers the VM off whatever happens.</li>
 * </ol>
 */
final class Initramfs {
  /**
   * virtio + 9p + overlay to reach the root; dm thin + xfs + loop for the scenarios; fuse for gluster
   * mounts; virtio-scsi + sd for a disk the guest sees as /dev/sda and virtio-net for the two-guest
   * network of RecipeVmTest (harmless without those devices).
   */
  static final List<String> MODULES = List.of("virtio_pci", "virtio_blk", "9pnet_virtio", "9p", "overlay",
      "crc32c_generic", "dm_mod", "dm_thin_pool", "dm_persistent_data", "dm_bufio", "dm_bio_prison",
      "xfs", "loop", "fuse", "virtio_scsi", "sd_mod", "virtio_net");

  private Initramfs() {}

  static byte[] build(VmHost host, String stage2) throws IOException {
    KernelModules km = KernelModules.load(host.modulesDir());
    for (String m : MODULES) {
      if (!km.known(m) && !builtin(host, m)) {
        throw new AssertionError("kernel module " + m + " not found for " + host.kernel());
      }
    }
    List<String> files = km.loadOrder(MODULES);
    Cpio cpio = new Cpio();
    for (String d : List.of("bin", "dev", "proc", "sys", "mod", "out", "lower", "upper", "newroot")) {
      cpio.dir(d);
    }
    cpio.charDevice("dev/console", 5, 1);
    cpio.file("bin/busybox", 0755, Files.readAllBytes(host.busybox()));
    List<String> insmods = new ArrayList<>();
    for (String f : files) {
      if (!f.endsWith(".ko")) {
        throw new AssertionError("compressed module " + f + " not supported by this initramfs builder");
      }
      String name = "mod/" + KernelModules.nameOf(f) + ".ko";
      cpio.file(name, 0644, Files.readAllBytes(host.modulesDir().resolve(f)));
      insmods.add("/" + name);
    }
    cpio.file("init", 0755, init(insmods).getBytes(StandardCharsets.UTF_8));
    cpio.file("stage2", 0755, stage2.getBytes(StandardCharsets.UTF_8));
    return cpio.finish();
  }

  private static boolean builtin(VmHost host, String m) throws IOException {
    Path b = host.modulesDir().resolve("modules.builtin");
    return Files.exists(b) && Files.readString(b).lines().anyMatch(l -> KernelModules.nameOf(l).equals(m));
  }

  /**
   * The guest's /init (PID 1 of the test VM), a busybox shell script: this is the VM's boot
   * plumbing, written into the initramfs by test code, and never an agent command. The agent code
   * under test runs inside the VM with its usual argv-only ProcessRunner; the final
   * {@code sh -c} only chains the stage-2 script with its exit report and the power-off.
   */
  static String init(List<String> insmods) {
    return """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        export PATH=/bin
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        echo "BRICKYARD-VM-INIT initramfs running uptime=$(cut -d' ' -f1 /proc/uptime)"
        for m in %s; do insmod "$m" || echo "BRICKYARD-VM-INIT insmod $m failed"; done
        fail() { echo "BRICKYARD-VM-INIT $1"; poweroff -f; }
        if mount -t 9p -o trans=virtio,version=9p2000.L brickyardout /out 2>/dev/null; then
          cat /proc/kallsyms > /out/kallsyms && echo "BRICKYARD-VM-INIT kallsyms saved uptime=$(cut -d' ' -f1 /proc/uptime)"
          umount /out
        fi
        mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /lower || fail "9p mount failed"
        mount -t tmpfs -o size=1g tmpfs /upper || fail "tmpfs failed"
        mkdir -p /upper/u /upper/w
        mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w /newroot || fail "overlay failed"
        cp /stage2 /newroot/brickyard-stage2
        echo "BRICKYARD-VM-INIT host root mounted uptime=$(cut -d' ' -f1 /proc/uptime)"
        mount --move /proc /newroot/proc
        mount --move /sys /newroot/sys
        mount --move /dev /newroot/dev
        exec switch_root /newroot /bin/sh -c '/brickyard-stage2; echo "BRICKYARD-VM-INIT stage2 exit $?"; /bin/busybox poweroff -f'
        """.formatted(String.join(" ", insmods));
  }
}
