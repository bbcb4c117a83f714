package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Boots the one VM the vm tier needs and runs {@link VmScenario} in it: disks, initramfs, stage
 * 2, then the console and the captured lvs JSON. Console and JSON are kept under
 * target/vm-captures (fixtures for unit tests, and the evidence when an assertion fails).
 */
final class NodeVm {
  static final long GIB = 1L << 30;

  /** The first line the kernel prints (earlyprintk): proof the guest kernel runs at all. */
  static final String KERNEL_BANNER = "Linux version ";

  private NodeVm() {}

  /**
   * This host cannot run the guest kernel at all (see {@link #boot}). The test class turns it into
   * a skip of every test, so the run reports them SKIPPED (an abort in {@code @BeforeAll} would show
   * as zero tests run, which reads like nothing was missed).
   */
  static final class Unavailable extends RuntimeException {
    Unavailable(String why) {
      super(why);
    }
  }

  /** What one boot produced: the step results and the lvs.json rows by LV name. */
  record Run(VmResults results, Map<String, JsonObject> lvs) {}

  /**
   * Boots and runs the scenario; one retry with {@code -smp 1} in a fresh directory (fresh disks)
   * when attempt 1 stalls BEFORE the BOOTED marker: that is boot plumbing (kernel, /init, udev,
   * shares) on a loaded TCG host, not the code under test. A stall after BOOTED fails at once:
   * retrying would hide a hang of the agent code. The captured console says that and why a retry
   * happened; a second failure quotes attempt 1's diagnosis too.
   */
  static Run boot(Path tmp) throws Exception {
    return boot(tmp, new Guest(VmScenario.class.getName(), NodeVm::vm, Path.of("target", "vm-captures")));
  }

  /** Disks, timeout and out share of one guest's VM, set on a fresh {@link QemuVm}. */
  @FunctionalInterface
  interface Machine {
    QemuVm create(VmHost host, Path dir) throws Exception;
  }

  /**
   * What runs in the guest: the main class stage 2 starts on the host JDK, the machine it runs on,
   * where the console and the out share's files are kept, and shell lines stage 2 runs as root
   * just before the JVM (after udev and the out share; e.g. a guest's network address).
   */
  record Guest(String mainClass, Machine machine, Path keep, String setup) {
    Guest(String mainClass, Machine machine, Path keep) {
      this(mainClass, machine, keep, "");
    }
  }

  /** As {@link #boot(Path)} for any guest scenario; the out share's files are copied to {@code keep}. */
  static Run boot(Path tmp, Guest guest) throws Exception {
    VmHost host = VmHost.locate();
    Path keep = Files.createDirectories(guest.keep());
    StringBuilder captured = new StringBuilder();
    StallReport first = null;
    try {
      for (int attempt = 1; ; attempt++) {
        Path dir = Files.createDirectories(tmp.resolve("attempt-" + attempt));
        QemuVm vm = guest.machine().create(host, dir);
        if (first != null) {
          vm.smp("1");
        }
        long start = System.nanoTime();
        try {
          String console = vm.run(Initramfs.build(host, stage2(guest.mainClass(), guest.setup())));
          captured.append(console).append("\n# host wall time: ")
              .append((System.nanoTime() - start) / 1_000_000_000L).append(" s\n");
          if (first != null) {
            captured.append(attempt1(first, vm));
          }
          return collect(dir.resolve("out"), console, keep);
        } catch (VmStallError e) {
          captured.append(readConsole(dir)).append("\n# ").append(e.getMessage());
          if (first == null && !e.report().afterBooted()) {
            first = e.report();
            String header = "# attempt 2 of 2: -smp 1 after a boot stall: " + first.summary();
            System.err.println(header);
            captured.append('\n').append(header).append('\n');
            continue;
          }
          if (first == null) {
            throw e;
          }
          String one = attempt1(first, vm);
          captured.append('\n').append(one);
          if (!captured.toString().contains(KERNEL_BANNER)) {
            // Twice, not one line from the kernel: this host cannot run a TCG guest at all (the
            // firmware ran, the kernel never printed). Nothing of ours ran; the tier cannot run here.
            String why = "VM tier cannot run on this host: qemu's firmware ran but the kernel printed nothing in "
                + "two boots; reported as SKIPPED, not passed (a named gap, docs/vm-tier.md)\n" + e.getMessage() + "\n" + one;
            System.err.println(why);
            throw new Unavailable(why);
          }
          throw new AssertionError(e.getMessage() + "\n" + one);
        }
      }
    } finally {
      Files.writeString(keep.resolve("console.log"), captured);
    }
  }

  /** Attempt 1's diagnosis, its RIPs named with attempt 2's kallsyms if it had none (same kernel, nokaslr). */
  private static String attempt1(StallReport first, QemuVm second) {
    return "# attempt 1 of 2 (before the -smp 1 retry) had stalled:\n" + first.withSymbols(second.symbols()).render();
  }

  static QemuVm vm(VmHost host, Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    // The dirty disk carries ext4, something EnsureXfs must not treat as "already XFS".
    Path dirty = QemuVm.sparseDisk(dir.resolve("vdb-dirty.img"), GIB);
    new ProcessRunner().runChecked(Command.of("mkfs.ext4", "-q", "-F", dirty.toString()));
    return new QemuVm(host, dir)
        .disk(QemuVm.sparseDisk(dir.resolve("vda.img"), 5 * GIB))
        .disk(dirty)
        .disk(QemuVm.sparseDisk(dir.resolve("vdc.img"), GIB))
        .outDir(out)
        .timeout(Duration.ofMinutes(15));
  }

  private static String readConsole(Path dir) throws java.io.IOException {
    Path c = dir.resolve("console.log");
    return Files.exists(c) ? Files.readString(c).replace("\r", "") : "";
  }

  /** Keeps the JSON the guest wrote, checks the guest JVM exited 0, and indexes lvs.json. */
  private static Run collect(Path out, String console, Path keep) throws Exception {
    try (var files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("kallsyms")).toList()) {
        Path to = keep.resolve(out.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(console).as("guest JVM exit line; console:\n%s", QemuVm.tail(console, 6000))
        .contains("BRICKYARD-VM-EXIT 0");
    Map<String, JsonObject> lvs = new HashMap<>();
    if (!Files.exists(out.resolve("lvs.json"))) {
      return new Run(new VmResults(console), lvs);
    }
    JsonObject report = JsonParser.parseString(Files.readString(out.resolve("lvs.json"))).getAsJsonObject();
    report.getAsJsonArray("report").get(0).getAsJsonObject().getAsJsonArray("lv")
        .forEach(e -> lvs.put(e.getAsJsonObject().get("lv_name").getAsString(), e.getAsJsonObject()));
    return new Run(new VmResults(console), lvs);
  }

  /**
   * Stage 2 runs in the VM's overlay root: udev, the out share, then the scenario on the host JDK.
   * No tmpfs over /tmp: the overlay root is already writable, and the test classpath may live under
   * the host's /tmp (CI clones anywhere), which a tmpfs would hide from the guest.
   */
  private static String stage2(String mainClass, String setup) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    assertThat(cp + java).doesNotContain("'");
    return """
        #!/bin/sh
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin
        mount -t tmpfs tmpfs /run
        /lib/systemd/systemd-udevd --daemon >/dev/null 2>&1 && udevadm trigger && udevadm settle --timeout=30
        mkdir -p /brickyard-out
        mount -t 9p -o trans=virtio,version=9p2000.L brickyardout /brickyard-out || echo "BRICKYARD-VM-INIT out share failed"
        %s
        echo "BRICKYARD-VM-BOOTED uptime=$(cut -d' ' -f1 /proc/uptime)"
        '%s' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Dbrickyard.vm.out=/brickyard-out -cp '%s' %s
        echo "BRICKYARD-VM-EXIT $? uptime=$(cut -d' ' -f1 /proc/uptime)"
        sync
        """.formatted(setup, java, cp, mainClass);
  }
}
