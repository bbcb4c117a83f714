package io.brickyard.agent.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.inventory.DeviceInspection;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.EnsurePhysicalVolumeRequest;
import io.brickyard.api.agent.v1.ExpectedDisk;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EnsurePhysicalVolume's wipe binding, on captured output: a device carrying XFS (wipefs/xfs.json)
 * on an unused 512 MiB loop device (lsblk/debian12-host.json's first row, loop0). The device path
 * is /dev/null only so that "does it exist" holds everywhere: every fact comes from the scripts.
 */
class PvVgOpsTest {
  private static final String DEV = "/dev/null";
  private static final String LSBLK = "lsblk --json --bytes --tree -o "
      + "NAME,KNAME,PATH,MAJ:MIN,SIZE,TYPE,RO,ROTA,MODEL,SERIAL,WWN,FSTYPE,MOUNTPOINTS " + DEV;
  private static final String PVS = "pvs --reportformat json --units b --nosuffix -o "
      + "pv_name,vg_name,pv_size,pv_free,pv_uuid,pe_start,pv_mda_size";
  @TempDir Path tmp;
  private ScriptedRunner run;
  private PvVgOps ops;

  @BeforeEach
  void setUp() throws IOException {
    Path swaps = tmp.resolve("swaps");
    Files.writeString(swaps, ScriptedRunner.fixture("proc/swaps-loop.txt")); // loop1 is swap, not loop0
    ops = new PvVgOps(new DeviceInspection.Sources(tmp.resolve("sys-dev-block"), swaps));
    run = new ScriptedRunner()
        .ok(LSBLK, ScriptedRunner.fixture("lsblk/debian12-host.json"))
        .ok("wipefs --no-act --json " + DEV, ScriptedRunner.fixture("wipefs/xfs.json"))
        .ok(PVS, ScriptedRunner.fixture("lvm/pvs.json"))
        .ok("wipefs --all " + DEV, "")
        .ok("pvcreate " + DEV, "");
  }

  private static EnsurePhysicalVolumeRequest pv(boolean dryRun, String digest) {
    return EnsurePhysicalVolumeRequest.newBuilder().setDevice(DEV).setWipe(true)
        .setOptions(RequestOptions.newBuilder().setDryRun(dryRun).setExpectedDeviceDigest(digest)).build();
  }

  private boolean wiped() {
    return run.ranJoined().contains("wipefs --all " + DEV);
  }

  @Test
  void dryRunShowsTheDiskAndItsSignaturesAndTheirDigest() {
    OperationResult r = ops.ensurePv(new Operation(run, true), pv(true, ""));
    assertThat(r.getChanged()).isTrue();
    assertThat(r.getDevice().getKernelName()).isEqualTo("loop0");
    assertThat(r.getDevice().getSizeBytes()).isEqualTo(536870912L);
    assertThat(r.getDevice().getSignaturesList())
        .containsExactly("xfs at 0x0 (UUID 1b7e4655-ca44-43ab-ba4f-4bec37fa82b3)");
    assertThat(r.getDevice().getDigest()).hasSize(64);
    assertThat(wiped()).isFalse();
  }

  @Test
  void wipeWithoutThePlansDigestIsRefusedAndNothingIsErased() {
    assertThatThrownBy(() -> ops.ensurePv(new Operation(run, false), pv(false, "")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("expected_device_digest")
        .hasMessageContaining("xfs at 0x0");
    assertThat(wiped()).isFalse();
  }

  @Test
  void wipeBoundToTheDigestThePlanShowedRuns() {
    String digest = ops.ensurePv(new Operation(run, true), pv(true, "")).getDevice().getDigest();
    OperationResult r = ops.ensurePv(new Operation(run, false), pv(false, digest));
    assertThat(r.getChanged()).isTrue();
    assertThat(run.ranJoined()).containsSubsequence("wipefs --all " + DEV, "pvcreate " + DEV);
  }

  @Test
  void aDeviceThatChangedSinceThePlanIsRefusedEvenWithWipe() {
    // The plan saw the same disk blank; now it carries XFS: not what the admin approved.
    ScriptedRunner blank = new ScriptedRunner().ok(LSBLK, ScriptedRunner.fixture("lsblk/debian12-host.json"))
        .ok("wipefs --no-act --json " + DEV, ScriptedRunner.fixture("wipefs/empty.json"))
        .ok(PVS, ScriptedRunner.fixture("lvm/pvs.json"));
    String planned = ops.ensurePv(new Operation(blank, true), pv(true, "")).getDevice().getDigest();
    assertThatThrownBy(() -> ops.ensurePv(new Operation(run, false), pv(false, planned)))
        .isInstanceOf(RefusedException.class).hasMessageContaining("not what the plan showed");
    assertThat(wiped()).isFalse();
  }

  @Test
  void aDiskOtherThanTheSpecPinsIsRefusedBeforeAnything() {
    String digest = ops.ensurePv(new Operation(run, true), pv(true, "")).getDevice().getDigest();
    EnsurePhysicalVolumeRequest req = pv(false, digest).toBuilder()
        .setExpectedDisk(ExpectedDisk.newBuilder().setSerial("WD-WCC4N1234567")).build();
    assertThatThrownBy(() -> ops.ensurePv(new Operation(run, false), req))
        .isInstanceOf(RefusedException.class).hasMessageContaining("expected serial WD-WCC4N1234567")
        .hasMessageContaining("loop0");
    assertThat(wiped()).isFalse();
  }

  @Test
  void activeSwapIsRefusedEvenWithWipe() throws IOException {
    ScriptedRunner swap = new ScriptedRunner()
        .ok(LSBLK, ScriptedRunner.fixture("lsblk/loop-active-swap.json"))
        .ok("wipefs --no-act --json " + DEV, ScriptedRunner.fixture("wipefs/swap.json"))
        .ok(PVS, ScriptedRunner.fixture("lvm/pvs.json"));
    assertThatThrownBy(() -> ops.ensurePv(new Operation(swap, true), pv(true, "")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("[SWAP]")
        .hasMessageContaining("wipe does not override");
    assertThat(swap.ranJoined()).noneMatch(c -> c.startsWith("wipefs --all") || c.startsWith("pvcreate"));
  }
}
