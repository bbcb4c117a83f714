package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's acceptance, the part that is built (docs/day2.md): on a 4-node lab, the recipe's vol1
 * (replica 2 on gluster1 and gluster2, the spec's only nodes) holds 1,000 files written through a FUSE
 * mount on the client, their SHA-256 recorded here. The spec then adds gluster3 and gluster4 and grows
 * vol1 onto them to distributed-replicate 2 x 2: apply prepares and probes the new nodes, then plans
 * add-brick and the rebalance, and waits for it with each
 * node's progress. Meanwhile a client writes a file at a time through the same mount; afterwards
 * all 1,000 files and every write the client was told succeeded read back through FUSE with their
 * checksums, the new set holds files, and a second apply changes nothing. Then gluster2's brick
 * fails and is replaced by a brick on gluster3 ({@code brickyard brick replace}), with the heal
 * waited for, again under a writing client and with every file read back. Then retiring gluster4
 * is refused with its brick, the second set is removed ({@code brickyard brick remove}: migration,
 * then commit) under a writing client with every file read back, and gluster4 retires.
 *
 * <p>The files are made here (random bytes, a fixed seed) in the client host's private /mnt and
 * copied into the volume inside the client with cp: argv only, no shell.
 */
@Tag("lab")
class DayTwoE2ETest {
  private static final int FILES = 1000;
  private static final String MNT = "/mnt/vol1";
  private static final String SRC = "/mnt/day2-src";

  @Test
  void expandVol1ToTwoByTwoWithRebalanceLosingNothing() throws Exception {
    long t0 = System.nanoTime();
    LabHarness.up(4);
    try {
      CliRun first = CliRun.of("apply", "-f", LabHarness.example("lab-day2.yaml").toString(), "--yes");
      assertThat(first.code()).as(first.out() + first.err()).isZero();
      assertThat(LabHarness.exec("client", "mkdir", "-p", MNT).code()).isZero();
      LabHarness.Exec m = LabHarness.exec("client", "mount", "-t", "glusterfs", "-o", "backup-volfile-servers=gluster2",
          "gluster1:/vol1", MNT);
      assertThat(m.code()).as(m.out()).isZero();

      Map<String, String> sums = makeFiles(LabHarness.hostPath("client", SRC + "/data"), FILES, 1, 16 * 1024);
      LabHarness.Exec cp = LabHarness.exec("client", "cp", "-r", SRC + "/data", MNT + "/data");
      assertThat(cp.code()).as(cp.out()).isZero();
      assertReadBack(MNT + "/data", sums);

      // the grown spec: the plan says what and why, nothing has run yet
      String grown = LabHarness.example("lab-day2-expanded.yaml").toString();
      CliRun plan = CliRun.of("plan", "-f", grown);
      assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
      // two nodes join: their bricks prepared and probed by the same apply, before the add-brick
      assertThat(plan.out()).contains("peer probe gluster3").contains("peer probe gluster4")
          .contains("volume vol1: add 2 brick(s) as new set(s): the spec lists 4 bricks, the volume has 2")
          .contains("volume vol1 rebalanced (its files spread onto the new set(s))");

      Writer writer = new Writer(LabHarness.hostPath("client", SRC + "/live"), MNT + "/live");
      writer.start();
      long a0 = System.nanoTime();
      CliRun apply = CliRun.of("apply", "-f", grown, "--yes");
      long applyMs = (System.nanoTime() - a0) / 1_000_000;
      writer.stopAndJoin();
      assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
      assertThat(apply.out()).contains("gluster3  changed   XFS on /dev/sdb").contains("gluster4  changed   XFS on /dev/sdb")
          .contains("changed   peer probe gluster3").contains("changed   peer probe gluster4")
          .contains("cluster   changed   volume vol1: add 2 brick(s)")
          .contains("cluster   running   volume vol1 rebalanced").contains("scanned")
          .contains("rebalance of vol1 completed: ");
      System.out.println("[day2] apply (add-brick + rebalance of " + FILES + " files) took " + applyMs + " ms; "
          + writer.acked.size() + " client writes acknowledged during it");
      System.out.println(apply.out());

      LabHarness.Exec info = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "vol1");
      assertThat(info.out()).contains("Type: Distributed-Replicate").contains("Number of Bricks: 2 x 2 = 4")
          .contains("user.brickyard.rebalance: done");
      assertReadBack(MNT + "/data", sums);
      assertThat(writer.acked).hasSizeGreaterThan(0);
      assertReadBack(MNT + "/live", writer.acked);
      // the rebalance moved files onto the new set
      LabHarness.Exec moved = LabHarness.exec("gluster3", "find", "/gluster/b1/brick/data", "-type", "f");
      assertThat(moved.out().lines().count()).as(moved.out()).isGreaterThan(0);

      JsonObject vol1 = volume("vol1");
      assertThat(vol1.get("layout").getAsString()).isEqualTo("2 x 2 = 4");
      assertThat(vol1.get("rebalance").getAsString()).isEqualTo("completed");

      CliRun again = CliRun.of("apply", "-f", grown, "--yes");
      assertThat(again.out()).as(again.out() + again.err()).contains("Apply: 0 changes.");
      // the spec before the growth: its missing bricks are drift, apply removes nothing
      CliRun shrunk = CliRun.of("plan", "-f", LabHarness.example("lab-day2.yaml").toString());
      assertThat(shrunk.code()).as(shrunk.out() + shrunk.err()).isZero();
      assertThat(shrunk.out()).contains("drift: brick gluster3:/gluster/b1/brick of volume vol1 is not in the spec: "
          + "left alone: brickyard brick remove vol1 gluster3:/gluster/b1/brick gluster4:/gluster/b1/brick");

      replaceGluster2sBrickAndHeal(grown, sums);
      removeTheSecondSetAndRetireGluster4(grown, sums);
      assertThat(LabHarness.exec("client", "umount", MNT).code()).isZero();
    } finally {
      LabHarness.down();
      System.out.println("[day2] DayTwoE2ETest took " + (System.nanoTime() - t0) / 1_000_000 + " ms (2 cores)");
    }
  }

  /**
   * gluster2's brick fails (its process killed, its directory moved away so gluster cannot bring it
   * back); replacing gluster1's brick, now the set's only online copy, is refused naming gluster2's;
   * replacing gluster2's by the prepared, empty gluster3:/gluster/b2/brick runs replace-brick and
   * waits for the heal, while a client writes; then every file and write reads back, and a rerun is
   * unchanged.
   */
  private static void replaceGluster2sBrickAndHeal(String grown, Map<String, String> sums) throws Exception {
    String old = "gluster2:/gluster/b1/brick";
    String neu = "gluster3:/gluster/b2/brick";
    long pid = volume("vol1").getAsJsonArray("bricks").asList().stream().map(JsonElement::getAsJsonObject)
        .filter(b -> b.get("name").getAsString().equals(old)).findFirst().orElseThrow().get("pid").getAsLong();
    LabHarness.kill(pid, true);
    assertThat(LabHarness.exec("gluster2", "mv", "/gluster/b1/brick", "/gluster/b1/brick.failed").code()).isZero();

    CliRun refused = CliRun.of("brick", "replace", "vol1", "gluster1:/gluster/b1/brick", neu, "-f", grown);
    assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(1);
    assertThat(refused.err()).contains("has no other brick online (" + old + " offline)");

    Writer writer = new Writer(LabHarness.hostPath("client", SRC + "/live2"), MNT + "/live2", 3, "/live2");
    writer.start();
    // gluster's heal info while the heal runs, kept as parser fixtures (target/captures)
    AtomicBoolean capturing = new AtomicBoolean(true);
    Path captures = Files.createDirectories(Path.of("target", "captures"));
    Thread capture = new Thread(() -> {
      while (capturing.get()) {
        try {
          LabHarness.Exec hi = LabHarness.exec("gluster1", "gluster", "--mode=script", "--xml", "volume", "heal", "vol1",
              "info");
          if (hi.out().contains("<file")) {
            Files.writeString(captures.resolve("heal-info.pending.xml"), hi.out());
          }
          Thread.sleep(1000);
        } catch (Exception e) {
          return;
        }
      }
    });
    capture.start();
    long t0 = System.nanoTime();
    CliRun rep = CliRun.of("brick", "replace", "vol1", old, neu, "-f", grown, "--progress", "plain");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    writer.stopAndJoin();
    capturing.set(false);
    capture.join(30_000);
    Files.writeString(captures.resolve("heal-info-split-brain.none.xml"), LabHarness.exec("gluster1", "gluster",
        "--mode=script", "--xml", "volume", "heal", "vol1", "info", "split-brain").out());
    Files.writeString(captures.resolve("heal-info.healed.xml"), LabHarness.exec("gluster1", "gluster",
        "--mode=script", "--xml", "volume", "heal", "vol1", "info").out());
    assertThat(rep.code()).as(rep.out() + rep.err()).isZero();
    assertThat(rep.out()).contains("gluster3  unchanged new brick directory /gluster/b2/brick")
        .contains("/gluster/b2/brick already exists on /gluster/b2, empty")
        .contains("cluster   changed   replace " + old + " by " + neu + " in vol1")
        .contains("cluster   unchanged heal of vol1 (pending entries 0 on every brick)").contains("Brick replace complete");
    System.out.println("[day2] brick replace + heal took " + ms + " ms; " + writer.acked.size()
        + " client writes acknowledged during it");
    System.out.println(rep.out());
    LabHarness.Exec info = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "vol1");
    assertThat(info.out()).contains("Brick2: " + neu).doesNotContain(old);
    assertReadBack(MNT + "/data", sums);
    assertReadBack(MNT + "/live2", writer.acked);
    // the new brick holds its set's copy: every file of set 1 is on gluster1's brick and on the new one
    LabHarness.Exec onNew = LabHarness.exec("gluster3", "find", "/gluster/b2/brick/data", "-type", "f");
    LabHarness.Exec onG1 = LabHarness.exec("gluster1", "find", "/gluster/b1/brick/data", "-type", "f");
    assertThat(onNew.out().lines().map(l -> l.substring(l.lastIndexOf('/'))).sorted().toList())
        .isEqualTo(onG1.out().lines().map(l -> l.substring(l.lastIndexOf('/'))).sorted().toList());

    CliRun heal = CliRun.of("heal", "vol1");
    assertThat(heal.code()).as(heal.out() + heal.err()).isZero();
    assertThat(heal.out()).contains(neu).contains("Nothing to heal.");
    CliRun sb = CliRun.of("heal", "vol1", "--split-brain", "-o", "json");
    assertThat(sb.code()).as(sb.out() + sb.err()).isZero();
    assertThat(JsonParser.parseString(sb.out()).getAsJsonObject().getAsJsonObject("info").getAsJsonArray("bricks"))
        .hasSize(4);
    CliRun again = CliRun.of("brick", "replace", "vol1", old, neu, "-f", grown, "--progress", "plain");
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("was already replaced by " + neu);
    assertThat(CliRun.of("history", "-n", "1").out()).contains("brick-replace");
  }

  /**
   * Retiring gluster4 is refused with its brick; the second set (gluster3, gluster4) is removed
   * while a client writes: its files migrate, the removal is committed after; every file and write
   * reads back; then gluster4 retires and the pool no longer lists it. The remove-brick status
   * answers seen meanwhile are kept in target/captures (parser fixtures).
   */
  private static void removeTheSecondSetAndRetireGluster4(String grown, Map<String, String> sums) throws Exception {
    String b3 = "gluster3:/gluster/b1/brick";
    String b4 = "gluster4:/gluster/b1/brick";
    CliRun refused = CliRun.of("node", "retire", "gluster4", "-f", grown);
    assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(1);
    assertThat(refused.err()).contains("gluster4 still holds 1 brick(s): vol1: " + b4);

    AtomicBoolean capturing = new AtomicBoolean(true);
    Path captures = Path.of("target", "captures");
    Files.createDirectories(captures);
    Thread capture = new Thread(() -> {
      while (capturing.get()) {
        try {
          LabHarness.Exec st = LabHarness.exec("gluster1", "gluster", "--mode=script", "--xml", "volume", "remove-brick",
              "vol1", b3, b4, "status");
          String kind = st.out().contains("in progress") ? "in-progress" : st.out().contains("completed") ? "completed"
              : "other";
          Files.writeString(captures.resolve("remove-brick-status." + kind + ".xml"), st.out());
          Thread.sleep(1000);
        } catch (Exception e) {
          return;
        }
      }
    });
    capture.start();
    Writer writer = new Writer(LabHarness.hostPath("client", SRC + "/live3"), MNT + "/live3", 4, "/live3");
    writer.start();
    long t0 = System.nanoTime();
    CliRun rm = CliRun.of("brick", "remove", "vol1", b3, b4, "-f", grown, "--progress", "plain");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    writer.stopAndJoin();
    capturing.set(false);
    capture.join(30_000);
    assertThat(rm.code()).as(rm.out() + rm.err()).isZero();
    assertThat(rm.out()).contains("cluster   changed   migrate the files of [" + b3 + ", " + b4 + "] off")
        .contains("cluster   running   migration off").contains("scanned")
        .contains("cluster   changed   remove [" + b3 + ", " + b4 + "] from vol1").contains("Brick remove complete");
    System.out.println("[day2] brick remove (migration + commit) took " + ms + " ms; " + writer.acked.size()
        + " client writes acknowledged during it");
    System.out.println(rm.out());
    LabHarness.Exec info = LabHarness.exec("gluster1", "gluster", "--mode=script", "volume", "info", "vol1");
    assertThat(info.out()).contains("Number of Bricks: 1 x 2 = 2").doesNotContain(b3).doesNotContain(b4);
    assertReadBack(MNT + "/data", sums);
    assertReadBack(MNT + "/live3", writer.acked);
    // the brick directories are kept
    assertThat(LabHarness.exec("gluster4", "test", "-d", "/gluster/b1/brick").code()).isZero();
    CliRun again = CliRun.of("brick", "remove", "vol1", b3, b4, "-f", grown, "--progress", "plain");
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("already removed");

    CliRun retire = CliRun.of("node", "retire", "gluster4", "-f", grown, "--progress", "plain");
    assertThat(retire.code()).as(retire.out() + retire.err()).isZero();
    assertThat(retire.out()).contains("cluster   changed   detach gluster4 from the trusted pool");
    LabHarness.Exec pool = LabHarness.exec("gluster1", "gluster", "--mode=script", "pool", "list");
    assertThat(pool.out()).contains("gluster2").contains("gluster3").doesNotContain("gluster4");
    assertThat(CliRun.of("history", "-n", "3").out()).contains("node-retire").contains("brick-remove");
  }

  private static JsonObject volume(String name) {
    JsonObject st = JsonParser.parseString(CliRun.of("status", "-o", "json").out()).getAsJsonObject();
    for (JsonElement v : st.getAsJsonArray("volumes")) {
      if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
        return v.getAsJsonObject();
      }
    }
    throw new AssertionError("no volume " + name + " in " + st);
  }

  /** {@code n} files of random sizes under {@code dir} (a fixed seed); name -> SHA-256. */
  static Map<String, String> makeFiles(Path dir, int n, long seed, int maxSize) throws Exception {
    Files.createDirectories(dir);
    Random r = new Random(seed);
    Map<String, String> sums = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[1 + r.nextInt(maxSize)];
      r.nextBytes(b);
      String name = "f" + i;
      Files.write(dir.resolve(name), b);
      sums.put(name, sha256(b));
    }
    return sums;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Every file of {@code want} read back through the client's FUSE mount with its checksum (sha256sum in the client). */
  static void assertReadBack(String dir, Map<String, String> want) throws Exception {
    List<String> argv = new ArrayList<>(List.of("sha256sum", "--"));
    want.keySet().forEach(f -> argv.add(dir + "/" + f));
    LabHarness.Exec r = LabHarness.exec("client", argv.toArray(String[]::new));
    assertThat(r.code()).as(r.out().lines().filter(l -> !l.contains(dir + "/")).limit(5).toList().toString()).isZero();
    Map<String, String> got = new TreeMap<>();
    r.out().lines().forEach(l -> {
      int sp = l.indexOf("  ");
      got.put(l.substring(sp + 2).substring(dir.length() + 1), l.substring(0, sp));
    });
    assertThat(got).isEqualTo(want);
  }

  /**
   * A client writing through the mount while a step runs: one file at a time, each a copy (cp in
   * the client, exit 0 = acknowledged) of a file made here with known content. Only acknowledged
   * writes are recorded; each must read back afterwards.
   */
  static final class Writer extends Thread {
    final Path src;
    final String dst;
    final Map<String, String> acked = new TreeMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    volatile Exception failure;

    final long seed;
    final String srcInClient;

    Writer(Path src, String dst) {
      this(src, dst, 2, "/live");
    }

    Writer(Path src, String dst, long seed, String srcDir) {
      this.src = src;
      this.dst = dst;
      this.seed = seed;
      this.srcInClient = SRC + srcDir;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        Map<String, String> made = makeFiles(src, 400, seed, 8 * 1024);
        LabHarness.exec("client", "mkdir", "-p", dst);
        for (Map.Entry<String, String> e : made.entrySet()) {
          if (stop.get()) {
            return;
          }
          LabHarness.Exec r = LabHarness.exec("client", "cp", srcInClient + "/" + e.getKey(), dst + "/" + e.getKey());
          if (r.code() == 0) {
            synchronized (acked) {
              acked.put(e.getKey(), e.getValue());
            }
          }
          Thread.sleep(50);
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    void stopAndJoin() throws Exception {
      stop.set(true);
      join(120_000);
      assertThat(failure).isNull();
    }
  }
}
