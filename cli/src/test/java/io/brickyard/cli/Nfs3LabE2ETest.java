package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * NFSv3 on real nfs-ganesha 4.3 in a fresh 2-node lab (examples/lab-nfs3.yaml: vol1 over NFSv3 and
 * NFSv4, vol2 NFSv4 only): rpcbind on every NFS node maps ganesha's side protocols to the pinned ports
 * the firewall opens; libnfs's NFSv3 client (MOUNT then NFS, the URL without {@code ?version=4}) writes
 * through one VIP and reads back through the other over both versions; vol2 is not reachable over
 * NFSv3; a client outside the export's network is refused. ClusterNfsE2ETest covers the rest of the
 * service over NFSv4; this class adds only what NFSv3 changes.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nfs3LabE2ETest {
  static final String VIP1 = "10.77.0.201";
  static final String VIP2 = "10.77.0.202";

  @BeforeAll
  static void up() {
    LabHarness.up(2);
  }

  @AfterAll
  static void down() {
    LabHarness.down();
  }

  static String spec() {
    return LabHarness.example("lab-nfs3.yaml").toString();
  }

  @Test
  @Order(0)
  void applyWarnsAboutNfs3AndASecondApplyChangesNothing() throws Exception {
    CliRun r = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out() + r.err()).contains("nfs.exports[0].protocols: NFSv3 pins mountd to port 20048")
        .contains("export vol1 as /vol1 (Export_Id 1, rw, no_root_squash, NFSv[3, 4])")
        .contains("NFSv3 + NLM");
    CliRun again = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("Apply: 0 changes.");
    // NFSv3 clients cannot end grace early: until it is over ganesha answers NFS3ERR_JUKEBOX to changes
    ClusterNfsE2ETest.awaitGraceOver(spec(), Duration.ofSeconds(30));
  }

  /** rpcbind's table in each NFS node, read with rpcinfo(8) there: program, version, protocol, port. */
  @Test
  @Order(1)
  void rpcbindMapsGaneshasSideProtocolsToThePinnedPorts() throws Exception {
    for (String host : List.of("gluster1", "gluster2")) {
      LabHarness.Exec rpc = LabHarness.exec(host, "rpcinfo", "-p");
      assertThat(rpc.code()).as(rpc.out()).isZero();
      List<String> rows = rpc.out().lines().map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
      assertThat(rows).as(host).contains(
          "100003 3 tcp 2049 nfs",
          "100005 3 tcp 20048 mountd", "100005 3 udp 20048 mountd",
          "100021 4 tcp 32803 nlockmgr", "100021 4 udp 32803 nlockmgr",
          "100011 1 tcp 875 rquotad");
    }
  }

  @Test
  @Order(2)
  void aFileWrittenOverNfs3ThroughOneVipReadsBackThroughTheOtherOverBothVersions() throws Exception {
    String content = "written over NFSv3 through " + VIP1 + "\n";
    Files.writeString(LabHarness.hostPath("client", "/mnt/v3.txt"), content);
    LabHarness.Exec cp = LabHarness.exec("client", "nfs-cp", "/mnt/v3.txt", "nfs://" + VIP1 + "/vol1/v3.txt");
    assertThat(cp.code()).as(cp.out()).isZero();
    LabHarness.Exec v3 = LabHarness.exec("client", "nfs-cat", "nfs://" + VIP2 + "/vol1/v3.txt");
    assertThat(v3.code()).as(v3.out()).isZero();
    assertThat(v3.out()).isEqualTo(content);
    LabHarness.Exec v4 = LabHarness.exec("client", "nfs-cat", "nfs://" + VIP2 + "/vol1/v3.txt?version=4");
    assertThat(v4.code()).as(v4.out()).isZero();
    assertThat(v4.out()).isEqualTo(content);
    for (String host : List.of("gluster1", "gluster2")) {
      // the brick is mounted in the host's own mount namespace: read it there
      assertThat(LabHarness.exec(host, "cat", "/gluster/vol1/brick1/brick/v3.txt").out()).as("replica on " + host)
          .isEqualTo(content);
    }
  }

  @Test
  @Order(3)
  void anNfs4OnlyExportAndAClientOutsideTheExportsNetworkAreRefusedOverNfs3() throws Exception {
    LabHarness.Exec vol2v3 = LabHarness.exec("client", "nfs-ls", "nfs://" + VIP1 + "/vol2");
    assertThat(vol2v3.code()).as("vol2 is exported over NFSv4 only: " + vol2v3.out()).isNotZero();
    LabHarness.Exec vol2v4 = LabHarness.exec("client", "nfs-ls", "nfs://" + VIP1 + "/vol2?version=4");
    assertThat(vol2v4.code()).as(vol2v4.out()).isZero();
    LabHarness.Exec outsider = LabHarness.exec("client2", "nfs-ls", "nfs://" + VIP1 + "/vol1");
    assertThat(outsider.code()).as("10.77.0.200 is outside 10.77.0.0/25: " + outsider.out()).isNotZero();
  }
}
