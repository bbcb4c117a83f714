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
 * The NFS issue's acceptance, on real ganesha 4.3 + FSAL GLUSTER in a 2-node lab: an NFSv4.0 client
 * (the test's own {@link Nfs4Client}, from this machine through the lab bridge) holds a file open for
 * reading through a VIP; the VIP moves from gluster1 to gluster2; the client reclaims its open
 * with CLAIM_PREVIOUS and reads on, with the right checksum. And the control: the same move back
 * without the recovery link is refused by ganesha, so the reclaim works only because the records
 * are shared.
 *
 * <p>Set up by hand (the coordinator does not build this yet), in the layout the coordinator is to
 * build: a replica-2 gluster volume {@code nfsstate} FUSE-mounted on both hosts at {@value #STATE},
 * each ganesha with {@code RecoveryRoot = STATE/nodes/<host>}, and for an address a node may take,
 * a link {@code STATE/nodes/<node>/<ip> -> ../<holder>}: here only
 * {@code nodes/gluster2/10.77.0.201 -> ../gluster1}, so the move back to gluster1 finds no records.
 * The ganesha configuration is the agent's main file (docs/nfs.md) with the export inline.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nfs4ReclaimE2ETest {
  static final String STATE = "/var/lib/brickyard/nfs-state";
  static final String VIP = "10.77.0.201";
  static final String CLIENT_IP = "10.77.0.1";
  static final String FILE = "/vol1/reclaim.bin";
  static final int SIZE = 8 << 20;
  static final int CHUNK = 64 << 10;
  static final Path CAPTURE = Path.of("target", "nfs4-capture");
  static byte[] content;
  static volatile long lastMove;
  static String sha;

  @BeforeAll
  static void up() throws Exception {
    LabHarness.up(2);
    CliRun r = CliRun.of("apply", "-f", LabHarness.example("lab.yaml").toString(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    for (String h : List.of("gluster1", "gluster2")) {
      must(h, "firewall-cmd", "--zone=public", "--add-rich-rule",
          "rule family=\"ipv4\" source address=\"10.77.0.0/24\" service name=\"nfs\" accept");
      must(h, "mkdir", "-p", "/var/lib/brickyard/nfs-state-brick", STATE, "/var/log/ganesha", "/run/ganesha");
    }
    must("gluster1", "gluster", "--mode=script", "volume", "create", "nfsstate", "replica", "2",
        "gluster1:/var/lib/brickyard/nfs-state-brick", "gluster2:/var/lib/brickyard/nfs-state-brick", "force");
    must("gluster1", "gluster", "--mode=script", "volume", "start", "nfsstate");
    for (String h : List.of("gluster1", "gluster2")) {
      must(h, "mount", "-t", "glusterfs", "localhost:/nfsstate", STATE);
    }
    must("gluster1", "mkdir", "-p", STATE + "/nodes/gluster1", STATE + "/nodes/gluster2");
    must("gluster1", "ln", "-s", "../gluster1", STATE + "/nodes/gluster2/" + VIP);
    must("gluster1", "ln", "-s", "../gluster2", STATE + "/nodes/gluster1/10.77.0.202");
    // gluster1 first, gluster2 at least a second later: ganesha's client ids and stateids carry its
    // start time (ServerEpoch), so the two servers' ids never coincide
    for (String h : List.of("gluster1", "gluster2")) {
      Files.writeString(hostPath(h, "/etc/ganesha/ganesha.conf"), ganeshaConf(h));
      spawn(h, "ganesha.nfsd", "-L", "/var/log/ganesha/ganesha.log", "-f", "/etc/ganesha/ganesha.conf",
          "-p", "/run/ganesha.pid");
      waitGraceOver(h, Duration.ofSeconds(60));
    }
    must("gluster1", "ip", "addr", "add", VIP + "/24", "dev", "eth0", "label", "eth0:by");
    must("gluster1", "arping", "-U", "-c", "1", "-I", "eth0", VIP);
    content = new byte[SIZE];
    new Random(20261201L).nextBytes(content);
    sha = sha256(content);
  }

  @AfterAll
  static void down() {
    LabHarness.down();
  }

  static String ganeshaConf(String host) {
    return "NFS_CORE_PARAM {\n  Protocols = 4;\n  Enable_NLM = false;\n  Enable_RQUOTA = false;\n"
        + "  mount_path_pseudo = true;\n  Clustered = false;\n}\n"
        + "NFSv4 {\n  RecoveryBackend = fs;\n  RecoveryRoot = \"" + STATE + "/nodes/" + host + "\";\n"
        + "  RecoveryDir = \"v4recov\";\n  Grace_Period = 10;\n  Lease_Lifetime = 10;\n  Minor_Versions = 0;\n}\n"
        + "EXPORT {\n  Export_Id = 1;\n  Path = \"/\";\n  Pseudo = \"/vol1\";\n  Access_Type = RW;\n"
        + "  Squash = No_Root_Squash;\n  Protocols = 4;\n  Transports = TCP;\n  SecType = sys;\n"
        + "  FSAL {\n    Name = GLUSTER;\n    Hostname = localhost;\n    Volume = \"vol1\";\n  }\n"
        + "  CLIENT {\n    Clients = 10.77.0.0/24;\n    Protocols = 4;\n    Access_Type = RW;\n  }\n}\n";
  }

  /** The file is written over NFS through the VIP (OPEN CREATE UNCHECKED, WRITE FILE_SYNC4, CLOSE). */
  @Test
  @Order(1)
  void fileWrittenThroughTheVipLandsOnTheVolume() throws Exception {
    try (Nfs4Client w = client("writer", CAPTURE.resolve("write"))) {
      w.establishClientId();
      // the record exists as soon as the client id is confirmed, before any OPEN
      String records = tree("gluster1");
      System.out.println("[nfs4] records after SETCLIENTID_CONFIRM:\n" + records);
      // named after the client's source address as ganesha's IPv6 socket sees it, and the id (hex: it holds a '/')
      assertThat(records).contains("nodes/gluster1/v4recov/::ffff:" + CLIENT_IP + "-(");
      Nfs4Client.OpenFile f = w.open(FILE, Compound.SHARE_ACCESS_BOTH, true);
      for (int off = 0; off < SIZE; off += CHUNK) {
        assertThat(w.write(f, off, java.util.Arrays.copyOfRange(content, off, off + CHUNK))).isEqualTo(CHUNK);
      }
      assertThat(w.getattr(f).size()).isEqualTo(SIZE);
      w.close(f);
      w.events().forEach(e -> System.out.println("[nfs4 writer] " + e));
    }
    // through gluster, on the other host's FUSE view of the volume
    must("gluster2", "mkdir", "-p", "/mnt/vol1");
    must("gluster2", "mount", "-t", "glusterfs", "localhost:/vol1", "/mnt/vol1");
    assertThat(must("gluster2", "sha256sum", "/mnt/vol1/reclaim.bin")).startsWith(sha + " ");
    must("gluster2", "umount", "/mnt/vol1");
  }

  /** The acceptance: the VIP moves under a reading client, which reclaims and reads on. */
  @Test
  @Order(2)
  void vipMoveWithSharedRecordsReclaimsAndReadsOn() throws Exception {
    try (Nfs4Client c = client("reader", CAPTURE.resolve("reclaim"))) {
      Moved moved = readAcrossMove(c, "gluster1", "gluster2", true);
      List<Nfs4Client.Event> ev = c.events();
      ev.forEach(e -> System.out.println("[nfs4 reader] " + e));
      System.out.println("[nfs4] records after the move:\n" + tree("gluster2"));
      System.out.println("[nfs4] gluster1 log:\n" + ganeshaLog("gluster1"));
      System.out.println("[nfs4] gluster2 log:\n" + ganeshaLog("gluster2"));
      assertThat(moved.error.get()).as("reader failed").isNull();
      assertThat(moved.sha).isEqualTo(sha);
      int reclaim = indexOf(ev, "PUTFH,OPEN(CLAIM_PREVIOUS)", Nfs4Status.NFS4_OK, 0);
      assertThat(reclaim).as("a CLAIM_PREVIOUS open answered NFS4_OK").isPositive();
      assertThat(ev.get(reclaim).server()).isEqualTo(VIP);
      int firstRead = indexOf(ev, "PUTFH,READ", Nfs4Status.NFS4_OK, reclaim);
      assertThat(firstRead).isGreaterThan(reclaim);
      report("shared records", moved, ev, reclaim, firstRead);
      // between the move and the reclaim: only connection errors and lost-state answers, no other error
      assertThat(ev.subList(0, reclaim)).filteredOn(e -> e.status() != null && e.status() != Nfs4Status.NFS4_OK)
          .allSatisfy(e -> assertThat(e.status().lostState()).as(e.toString()).isTrue());
      assertThat(ev.subList(reclaim, ev.size())).filteredOn(e -> e.status() != null)
          .allSatisfy(e -> assertThat(e.status()).as(e.toString()).isEqualTo(Nfs4Status.NFS4_OK));
    }
  }

  /** The control: no link for the address on gluster1, so its takeover finds no records. */
  @Test
  @Order(3)
  void vipMoveWithoutTheLinkIsRefusedReclaim() throws Exception {
    waitGraceOver("gluster1", Duration.ofSeconds(60));
    waitGraceOver("gluster2", Duration.ofSeconds(60));
    // the old holder's reaper expires a released ("stale") client once its lease ran out, and that
    // removes its record from the shared directory
    System.out.println("[nfs4] records once both graces ended (" + ms(System.nanoTime() - lastMove) + " ms after the move):\n"
        + tree("gluster1"));
    assertThat(LabHarness.exec("gluster1", "test", "-e", STATE + "/nodes/gluster1/" + VIP).code()).isNotZero();
    try (Nfs4Client c = client("control", CAPTURE.resolve("control"))) {
      Moved moved = readAcrossMove(c, "gluster2", "gluster1", true);
      List<Nfs4Client.Event> ev = c.events();
      ev.forEach(e -> System.out.println("[nfs4 control] " + e));
      System.out.println("[nfs4] gluster1 log:\n" + ganeshaLog("gluster1"));
      assertThat(moved.error.get()).isInstanceOf(Nfs4Client.ReclaimRefused.class);
      Nfs4Status refusal = ((Nfs4Client.ReclaimRefused) moved.error.get()).status();
      System.out.println("[nfs4] control: reclaim refused with " + refusal + " +"
          + ms(ev.get(ev.size() - 1).nanos() - moved.t0) + " ms after the start of the move");
      // ganesha 4.3 answers NO_GRACE to a client it finds in no record (nfs4_op_open.c open4_validate_reclaim)
      assertThat(refusal).isIn(Nfs4Status.NFS4ERR_NO_GRACE, Nfs4Status.NFS4ERR_RECLAIM_BAD);
      // What a Linux client does next (its "no grace" recovery): open anew. During grace that is
      // NFS4ERR_GRACE, retried until the grace period ends.
      long t = System.nanoTime();
      Nfs4Client.OpenFile again = c.open(FILE, Compound.SHARE_ACCESS_READ, false);
      System.out.println("[nfs4] control: new OPEN(CLAIM_NULL) succeeded " + ms(System.nanoTime() - t)
          + " ms after the refusal, " + ms(System.nanoTime() - moved.t0) + " ms after the start of the move");
      c.events().stream().skip(ev.size()).forEach(e -> System.out.println("[nfs4 control] " + e));
      assertThat(c.read(again, 0, CHUNK)).isEqualTo(java.util.Arrays.copyOf(content, CHUNK));
    }
  }

  /**
   * The order of a move matters: with the address added (and announced) before the grace 5 event,
   * a client that reconnects at once confirms its new client id before ganesha has read the
   * records, and ganesha checks the records only at SETCLIENTID_CONFIRM. Observed and printed.
   */
  @Test
  @Order(4)
  void addressBeforeTakeEventOrder() throws Exception {
    waitGraceOver("gluster1", Duration.ofSeconds(60));
    waitGraceOver("gluster2", Duration.ofSeconds(60));
    try (Nfs4Client c = client("late-grace", CAPTURE.resolve("late-grace"))) {
      Moved moved = readAcrossMove(c, "gluster1", "gluster2", false);
      List<Nfs4Client.Event> ev = c.events();
      ev.forEach(e -> System.out.println("[nfs4 late-grace] " + e));
      System.out.println("[nfs4] late-grace: outcome " + (moved.error.get() == null ? "read on, sha ok=" + sha.equals(moved.sha)
          : moved.error.get().toString()));
      int reclaim = indexOf(ev, "PUTFH,OPEN(CLAIM_PREVIOUS)", Nfs4Status.NFS4_OK, 0);
      if (reclaim > 0) {
        report("address before grace 5", moved, ev, reclaim, indexOf(ev, "PUTFH,READ", Nfs4Status.NFS4_OK, reclaim));
      }
    }
  }

  /** What a move did, seen from the reading thread. */
  static final class Moved {
    long t0;
    long moveDone;
    String sha;
    final AtomicReference<Throwable> error = new AtomicReference<>();
  }

  /**
   * Opens the file for reading, reads a quarter, moves the VIP (release on {@code from}: address
   * removed, grace 2:IP; take on {@code to}: grace 5:IP, then the address and a gratuitous ARP, or
   * with {@code graceFirst} false the address, the ARP, then grace 5:IP)
   * while the reading thread goes on, then waits for the reader.
   */
  static Moved readAcrossMove(Nfs4Client c, String from, String to, boolean graceFirst) throws Exception {
    c.establishClientId();
    Nfs4Client.OpenFile f = c.open(FILE, Compound.SHARE_ACCESS_READ, false);
    System.out.println("[nfs4] records with the file open:\n" + tree(from));
    Moved m = new Moved();
    AtomicLong progress = new AtomicLong();
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try {
        for (long off = 0; off < SIZE; ) {
          byte[] b = c.read(f, off, CHUNK);
          if (b.length == 0) {
            throw new AssertionError("early EOF at " + off);
          }
          md.update(b);
          off += b.length;
          progress.set(off);
          Thread.sleep(60);
        }
      } catch (Throwable t) {
        m.error.set(t);
      }
    });
    while (progress.get() < SIZE / 4 && !reader.isDone()) {
      Thread.sleep(10);
    }
    assertThat(reader.isDone()).as("reader ended before the move: " + m.error.get()).isFalse();
    m.t0 = System.nanoTime();
    lastMove = m.t0;
    must(from, "ip", "addr", "del", VIP + "/24", "dev", "eth0");
    busctl(from, "grace", "s", "2:" + VIP);
    System.out.println("[nfs4] records after grace 2 on " + from + ":\n" + tree(from));
    if (graceFirst) {
      busctl(to, "grace", "s", "5:" + VIP);
    }
    must(to, "ip", "addr", "add", VIP + "/24", "dev", "eth0", "label", "eth0:by");
    must(to, "arping", "-U", "-c", "1", "-I", "eth0", VIP);
    if (!graceFirst) {
      busctl(to, "grace", "s", "5:" + VIP);
    }
    m.moveDone = System.nanoTime();
    System.out.println("[nfs4] move " + from + " -> " + to + " took " + ms(m.moveDone - m.t0) + " ms (2 cores)");
    reader.get(180, TimeUnit.SECONDS);
    m.sha = m.error.get() == null ? HexFormat.of().formatHex(md.digest()) : null;
    return m;
  }

  static void report(String what, Moved m, List<Nfs4Client.Event> ev, int reclaim, int firstRead) {
    Nfs4Client.Event firstErr = ev.stream().filter(e -> e.nanos() > m.t0 && (e.what().equals("io-error")
        || e.status() != null && e.status() != Nfs4Status.NFS4_OK)).findFirst().orElse(null);
    Nfs4Client.Event connected = ev.stream().filter(e -> e.nanos() > m.t0 && e.what().equals("connected"))
        .findFirst().orElse(null);
    System.out.printf("[nfs4] %s: move %d ms; first error +%s ms; reconnected +%s ms; reclaim OK +%d ms; "
        + "first read after reclaim +%d ms (from the start of the move, 2 cores)%n", what, ms(m.moveDone - m.t0),
        firstErr == null ? "-" : ms(firstErr.nanos() - m.t0), connected == null ? "-" : ms(connected.nanos() - m.t0),
        ms(ev.get(reclaim).nanos() - m.t0), ms(ev.get(firstRead).nanos() - m.t0));
  }

  static int indexOf(List<Nfs4Client.Event> ev, String what, Nfs4Status status, int from) {
    for (int i = from; i < ev.size(); i++) {
      if (ev.get(i).what().equals(what) && ev.get(i).status() == status) {
        return i;
      }
    }
    return -1;
  }

  static Nfs4Client client(String name, Path capture) throws Exception {
    RpcTcpTransport t = new RpcTcpTransport(new InetSocketAddress(VIP, 2049), Duration.ofSeconds(2), "by-" + name, 0, 0);
    Nfs4Client c = new Nfs4Client(t, Nfs4Client.linuxStyleId(CLIENT_IP, VIP) + " " + name, Duration.ofSeconds(60));
    c.capture(capture);
    return c;
  }

  static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
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

  static void waitGraceOver(String host, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      LabHarness.Exec e = LabHarness.exec(host, "busctl", "--system", "--json=short", "call", "org.ganesha.nfsd",
          "/org/ganesha/nfsd/admin", "org.ganesha.nfsd.admin", "get_grace");
      last = e.out();
      if (e.code() == 0 && last.contains("\"data\":[false")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(host + ": ganesha still not out of grace: " + last + "\n" + ganeshaLog(host));
  }

  static String tree(String host) throws Exception {
    return LabHarness.exec(host, "find", STATE + "/nodes", "-mindepth", "1").out();
  }

  static String ganeshaLog(String host) throws Exception {
    return LabHarness.exec(host, "grep", "-iE", "grace|recov|reclaim|clientid|release", "/var/log/ganesha/ganesha.log").out();
  }

  static Path hostPath(String host, String path) {
    return LabHarness.LAB.resolve("hosts").resolve(host).resolve("fs" + path);
  }

  /** Starts a daemon in a host: nsenter returns when it has forked, its output goes to a file. */
  static void spawn(String host, String... argv) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--mount=/run/brickyard-lab/ns/" + host + ".mnt",
        "--net=/run/netns/bylab-" + host, "--uts=/run/brickyard-lab/ns/" + host + ".uts", "--"));
    cmd.addAll(List.of(argv));
    File out = Files.createTempFile("nfs4-spawn-" + host, ".out").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(out.toPath())).isZero();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
