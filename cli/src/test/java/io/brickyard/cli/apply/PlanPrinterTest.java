package io.brickyard.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.DeviceIdentity;
import io.brickyard.api.coordinator.v1.PlanResponse;
import io.brickyard.api.coordinator.v1.PlanStep;
import io.brickyard.cli.spec.SpecFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanPrinterTest {
  @TempDir Path dir;

  @Test
  void specWarningsTheCliPrintedAreNotRepeatedButTheCoordinatorsOwnAre() throws Exception {
    Path spec = dir.resolve("c.yaml");
    Files.writeString(spec, """
        apiVersion: brickyard/v1
        kind: Cluster
        metadata: {name: c}
        nodes:
          - {name: gluster1, address: "10.0.0.1:7443"}
          - {name: gluster2, address: "10.0.0.2:7443"}
        volumes:
          - name: vol1
            type: replicate
            replica: 2
            bricks: ["gluster1:/b/vol1", "gluster2:/b/vol1"]
        """);
    SpecFile.Loaded l = SpecFile.load(spec);
    StringWriter err = new StringWriter();
    SpecFile.print(l, new PrintWriter(err, true));
    assertThat(err.toString()).contains("warning: volumes[0].replica: replica 2 volumes are prone to split-brain");
    assertThat(l.warningTexts()).hasSize(1);

    PlanResponse p = PlanResponse.newBuilder().addAllWarnings(l.warningTexts())
        .addWarnings("node gluster2: clock is 40 s off").build();
    StringWriter out = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(out, true), l.warningTexts());
    assertThat(out.toString()).doesNotContain("split-brain").contains("warning: node gluster2: clock is 40 s off");
    StringWriter all = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(all, true));
    assertThat(all.toString()).contains("split-brain");
  }

  @Test
  void aDestroyingStepShowsTheDiskItWouldEraseAndHowToApproveIt() {
    PlanResponse p = PlanResponse.newBuilder().setFingerprint("0123456789abcdef").addSteps(PlanStep.newBuilder()
        .setId("gluster1/storage/xfs:/dev/sdb").setNode("gluster1").setDescription("XFS on /dev/sdb")
        .setReason("would: create XFS on /dev/sdb").setDestructive(true)
        .addCommands(CommandRecord.newBuilder().addArgv("wipefs").addArgv("--all").addArgv("/dev/sdb"))
        .setDevice(DeviceIdentity.newBuilder().setPath("/dev/sdb").setKernelName("sdb").setModel("QEMU HARDDISK")
            .setSerial("QM00002").setSizeBytes(1L << 30).addSignatures("ext4 at 0x438 (UUID be2ba5a7)")
            .setDigest("aa2a2786bae36d7c5e033390fce6051fde27ac9832f7896b25429df83b1bbe00"))).build();
    StringWriter out = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(out, true));
    assertThat(out.toString()).contains("[DESTROYS DATA] XFS on /dev/sdb")
        .contains("device: /dev/sdb = sdb, QEMU HARDDISK, serial QM00002, 1.0 GiB, signatures: ext4 at 0x438"
            + " (UUID be2ba5a7); digest aa2a2786bae36d7c")
        .contains("brickyard apply --plan-fingerprint 0123456789abcdef");
  }

  @Test
  void unmanagedVolumesArePrintedAsDriftThatIsLeftAlone() {
    PlanResponse p = PlanResponse.newBuilder().addUnmanaged(io.brickyard.api.coordinator.v1.Drift.newBuilder()
        .setKind("volume").setName("vol2").setDescription("volume vol2 exists (Distribute, 2 bricks, Started), not in the spec")
        .setAction("left alone")).build();
    StringWriter out = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(out, true));
    assertThat(out.toString()).isEqualTo("drift: volume vol2 exists (Distribute, 2 bricks, Started), not in the spec: "
        + "left alone\nNo changes: the cluster matches the spec.\n");
  }

  static PlanStep.Builder nfsStep(String id, String node, String description, PlanStep.State state) {
    return PlanStep.newBuilder().setId(id).setNode(node).setPhase(id.startsWith("cluster/") ? "cluster" : "nfs")
        .setDescription(description).setReason("not yet").setState(state);
  }

  /**
   * NFS steps on a node and a cluster-wide VIP move: grouped per node, each marked by its state. A
   * change without commands (a move acts on two nodes: the plan lists no single argv) is a change,
   * and a pending step is pending even when it lists commands.
   */
  @Test
  void nfsStepsAndAVipMovePrintPerNodeMarkedByTheirState() {
    PlanResponse p = PlanResponse.newBuilder().setFingerprint("f")
        .addSteps(nfsStep("gluster1/nfs/recovery-store", "gluster1", "NFSv4 recovery store mounted", PlanStep.State.CHANGE)
            .addCommands(CommandRecord.newBuilder().addArgv("mount").addArgv("-t").addArgv("glusterfs")))
        .addSteps(nfsStep("gluster1/nfs/ganesha", "gluster1", "ganesha.conf written, ganesha running", PlanStep.State.PENDING)
            .setWaitsFor("gluster1/nfs/recovery-store")
            .addCommands(CommandRecord.newBuilder().addArgv("brickyard:write-file").addArgv("/etc/ganesha/ganesha.conf")))
        .addSteps(nfsStep("gluster1/nfs/export:/vol1", "gluster1", "export /vol1 (id 1)", PlanStep.State.PENDING))
        .addSteps(nfsStep("gluster1/nfs/vip:10.77.0.201", "gluster1", "virtual IP 10.77.0.201/24 on gluster1", PlanStep.State.CHANGE)
            .addCommands(CommandRecord.newBuilder().addArgv("ip").addArgv("addr").addArgv("add")))
        .addSteps(nfsStep("cluster/vip-move:10.77.0.202", "cluster", "move 10.77.0.202 gluster1 -> gluster2 (home)",
            PlanStep.State.CHANGE))
        .build();
    StringWriter out = new StringWriter();
    PlanPrinter.print(p, new PrintWriter(out, true));
    assertThat(out.toString()).isEqualTo("""
        node gluster1:
           1. [change] NFSv4 recovery store mounted
              why: not yet
              $ mount -t glusterfs
           2. [pending] ganesha.conf written, ganesha running
              why: not yet
              $ brickyard:write-file /etc/ganesha/ganesha.conf
           3. [pending] export /vol1 (id 1)
              why: not yet
           4. [change] virtual IP 10.77.0.201/24 on gluster1
              why: not yet
              $ ip addr add
        cluster-wide:
           5. [change] move 10.77.0.202 gluster1 -> gluster2 (home)
              why: not yet
        Plan: 5 step(s) to run. Fingerprint f
        """);
    // a coordinator older than the state field: judged by its commands, as before
    assertThat(PlanPrinter.mark(PlanStep.newBuilder().build())).isEqualTo("pending");
    assertThat(PlanPrinter.mark(PlanStep.newBuilder().addCommands(CommandRecord.getDefaultInstance()).build())).isEqualTo("change");
    assertThat(PlanPrinter.mark(PlanStep.newBuilder().setState(PlanStep.State.REFUSED).build())).isEqualTo("REFUSED");
  }
}
