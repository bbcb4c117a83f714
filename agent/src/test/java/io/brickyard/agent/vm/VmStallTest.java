package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog path for real: the usual kernel and initramfs, but a stage 2 that only sleeps, so
 * the console goes quiet and {@link QemuVm} must diagnose a stall over QMP before killing qemu.
 * Proves the QMP socket, the register dump, and the kallsyms the initramfs saves (nokaslr) fit
 * together on the real kernel; the report is printed so a reader can see what CI would get.
 *
 * <p>Its own tag {@code vm-diagnostics}, left out of every profile (so it is never a silent skip in a
 * run): boot plus the 15 s quiet period takes 30-45 s on the shared 2-core machine, too slow to add
 * to every run for a harness self-check. Run it after touching the watchdog:
 * {@code mvn -o -B test -pl agent -Dsurefire.excludedGroups= -Dsurefire.groups=vm-diagnostics}.
 */
@Tag("vm-diagnostics")
class VmStallTest {
  @TempDir
  Path tmp;

  @Test
  void quietGuestIsDiagnosedBeforeBeingKilled() throws Exception {
    VmHost host = VmHost.locate();
    String stage2 = """
        #!/bin/sh
        echo "BRICKYARD-VM-INIT stall test: stage 2 sleeps"
        exec sleep 100000
        """;
    QemuVm vm = new QemuVm(host, tmp).outDir(Files.createDirectories(tmp.resolve("out")))
        .stallAfter(Duration.ofSeconds(15)).timeout(Duration.ofMinutes(5));

    VmStallError e = catchThrowableOfType(() -> vm.run(Initramfs.build(host, stage2)), VmStallError.class);

    assertThat(e).as("the sleeping guest must be reported as stalled").isNotNull();
    System.err.println(e.getMessage());
    StallReport r = e.report();
    assertThat(r.reason()).startsWith("no console output for ");
    assertThat(r.afterBooted()).isFalse();
    assertThat(r.markers()).first().asString().startsWith("BRICKYARD-VM-INIT initramfs running");
    assertThat(r.markers()).last().isEqualTo("BRICKYARD-VM-INIT stall test: stage 2 sleeps");
    assertThat(r.markers()).anyMatch(m -> m.startsWith("BRICKYARD-VM-INIT kallsyms saved"));
    assertThat(r.symbols().source()).endsWith("kallsyms");
    assertThat(r.cpus()).as(r.qmpNote()).extracting(CpuState::index).containsExactly(0, 1);
    for (CpuState c : r.cpus()) {
      assertThat(c.register()).isEqualTo("RIP");
      assertThat(r.symbols().lookup(c.ip())).as("CPU %d at %x", c.index(), c.ip()).isPresent();
    }
    assertThat(r.qmpNote()).contains("CPU #0", "CPU #1");
    assertThat(r.argv()).contains("-qmp").anyMatch(a -> a.contains("nokaslr"));
    assertThat(e.getMessage()).contains("host /proc/loadavg: ", "console tail (last ");
  }
}
