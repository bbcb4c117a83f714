package io.brickyard.cli.nfs4;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.cli.CliRun;
import io.brickyard.cli.LabHarness;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The NFS issue's acceptance, on real ganesha 4.3 + FSAL GLUSTER in a 2-node lab built by Brickyard
 * itself (apply examples/lab-nfs.yaml: the recovery volume, the takeover links, ganesha, exports,
 * VIPs): an NFSv4.0 client (the test's own {@link Nfs4Client}, from this machine through the lab
 * bridge) holds a file open for reading through a VIP; `brickyard vip move` moves the VIP from
 * gluster1 to gluster2; the client reclaims its open with CLAIM_PREVIOUS and reads on, with the
 * right checksum. And the control: the same move back done by hand without the takeover link is
 * refused by ganesha, so the reclaim works only because the records are shared; the next apply
 * puts the link back.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nfs4ReclaimE2ETest {
  static final String STATE = "/var/lib/brickyard/nfs-state";
  static final String VIP = "10.77.0.201";
  static final String CLIENT_IP = ReclaimingReader.CLIENT_IP;
  static final String FILE = "/vol1/reclaim.bin";
  static final int SIZE = 8 << 20;
  static final int CHUNK = ReclaimingReader.CHUNK;
  static final Path CAPTURE = Path.of("target", "nfs4-capture");
  static byte[] content;
  static String sha;

  @BeforeAll
  static void up() throws Exception {
    LabHarness.up(2);
    CliRun r = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    content = new byte[SIZE];
    new Random(20261201L).nextBytes(content);
    sha = sha256(content);
    ReclaimingReader.awaitGraceOver("gluster1", Duration.ofSeconds(60));
    ReclaimingReader.awaitGraceOver("gluster2", Duration.ofSeconds(60));
  }

  @AfterAll
  static void down() {
    LabHarness.down();
  }

  static String spec() {
    return LabHarness.example("lab-nfs.yaml").toString();
  }

  /**
   * The file is written through a FUSE mount on gluster1 (the export squashes root, and the volume's
   * root directory is root's); the client's record exists as soon as its client id is confirmed.
   */
  @Test
  @Order(1)
  void theClientIsRecordedOnTheSharedStoreAtItsClientIdConfirm() throws Exception {
    Files.write(LabHarness.hostPath("gluster1", "/mnt/reclaim.bin"), content);
    must("gluster1", "mkdir", "-p", "/mnt/vol1");
    must("gluster1", "mount", "-t", "glusterfs", "localhost:/vol1", "/mnt/vol1");
    must("gluster1", "cp", "/mnt/reclaim.bin", "/mnt/vol1/reclaim.bin");
    assertThat(must("gluster1", "sha256sum", "/mnt/vol1/reclaim.bin")).startsWith(sha + " ");
    must("gluster1", "umount", "/mnt/vol1");
    try (Nfs4Client w = client("first", CAPTURE.resolve("first"))) {
      w.establishClientId();
      String records = tree("gluster2");
      System.out.println("[nfs4] records after SETCLIENTID_CONFIRM, seen from gluster2:\n" + records);
      // named after the client's source address as ganesha's IPv6 socket sees it, and the id (hex: it holds a '/')
      assertThat(records).contains("nodes/gluster1/v4recov/::ffff:" + CLIENT_IP + "-(");
      Nfs4Client.OpenFile f = w.open(FILE, Compound.SHARE_ACCESS_READ, false);
      assertThat(w.read(f, 0, CHUNK)).isEqualTo(java.util.Arrays.copyOf(content, CHUNK));
      w.close(f);
    }
  }

  /** The acceptance: the VIP moves under a reading client, which reclaims and reads on. */
  @Test
  @Order(2)
  void vipMoveWithSharedRecordsReclaimsAndReadsOn() throws Exception {
    try (Nfs4Client c = client("reader", CAPTURE.resolve("reclaim"))) {
      System.out.println("[nfs4] records before the move:\n" + tree("gluster1"));
      ReclaimingReader.Moved moved = ReclaimingReader.readAcrossMove(c, FILE, SIZE, () -> {
        CliRun r = CliRun.of("vip", "move", VIP, "--to", "gluster2", "-f", spec());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        System.out.println("[nfs4] " + r.out());
      });
      System.out.println("[nfs4] records after the move:\n" + tree("gluster2"));
      System.out.println("[nfs4] gluster1 log:\n" + ganeshaLog("gluster1"));
      System.out.println("[nfs4] gluster2 log:\n" + ganeshaLog("gluster2"));
      ReclaimingReader.assertReclaimedAndReadOn("shared records", c, moved, VIP, sha);
    }
  }

  /**
   * The control: gluster1's takeover link for the address removed, the same move back done by hand
   * in Brickyard's order; ganesha finds no records for the address and refuses the reclaim. The
   * next apply puts the link back.
   */
  @Test
  @Order(3)
  void vipMoveWithoutTheLinkIsRefusedReclaim() throws Exception {
    ReclaimingReader.awaitGraceOver("gluster1", Duration.ofSeconds(60));
    ReclaimingReader.awaitGraceOver("gluster2", Duration.ofSeconds(60));
    must("gluster1", "rm", STATE + "/nodes/gluster1/" + VIP);
    try (Nfs4Client c = client("control", CAPTURE.resolve("control"))) {
      ReclaimingReader.Moved moved = ReclaimingReader.readAcrossMove(c, FILE, SIZE, () -> {
        must("gluster2", "ip", "addr", "del", VIP + "/24", "dev", "eth0");
        busctl("gluster2", "grace", "s", "2:" + VIP);
        busctl("gluster1", "grace", "s", "5:" + VIP);
        must("gluster1", "ip", "addr", "add", VIP + "/24", "dev", "eth0", "label", "eth0:by");
        must("gluster1", "arping", "-U", "-c", "1", "-I", "eth0", VIP);
      });
      List<Nfs4Client.Event> ev = c.events();
      ev.forEach(e -> System.out.println("[nfs4 control] " + e));
      assertThat(moved.error.get()).isInstanceOf(Nfs4Client.ReclaimRefused.class);
      Nfs4Status refusal = ((Nfs4Client.ReclaimRefused) moved.error.get()).status();
      System.out.println("[nfs4] control: reclaim refused with " + refusal + " +"
          + ReclaimingReader.ms(ev.get(ev.size() - 1).nanos() - moved.t0) + " ms after the start of the move");
      // ganesha 4.3 answers NO_GRACE to a client it finds in no record (nfs4_op_open.c open4_validate_reclaim)
      assertThat(refusal).isEqualTo(Nfs4Status.NFS4ERR_NO_GRACE);
    }
    CliRun apply = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(apply.code()).as(apply.out()).isZero();
    assertThat(apply.out()).contains("gluster1  changed   NFSv4 recovery store");
    assertThat(LabHarness.exec("gluster1", "readlink", STATE + "/nodes/gluster1/" + VIP).out().strip())
        .isEqualTo("../gluster1");
  }

  static Nfs4Client client(String name, Path capture) throws Exception {
    return ReclaimingReader.client(VIP, name, capture);
  }

  static String must(String host, String... argv) throws Exception {
    LabHarness.Exec e = LabHarness.exec(host, argv);
    assertThat(e.code()).as(host + " " + String.join(" ", argv) + ": " + e.out()).isZero();
    return e.out();
  }

  static String busctl(String host, String method, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("busctl", "--system", "--json=short", "call", "org.ganesha.nfsd",
        "/org/ganesha/nfsd/admin", "org.ganesha.nfsd.admin", method));
    argv.addAll(List.of(args));
    return must(host, argv.toArray(String[]::new));
  }

  static String tree(String host) throws Exception {
    return LabHarness.exec(host, "find", STATE + "/nodes", "-mindepth", "1").out();
  }

  static String ganeshaLog(String host) throws Exception {
    return LabHarness.exec(host, "grep", "-iE", "grace|recov|reclaim|clientid|release", "/var/log/ganesha/ganesha.log").out();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
