package io.brickyard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's acceptance on a fresh 2-node lab with real nfs-ganesha 4.3 (FSAL GLUSTER): apply
 * examples/lab-nfs.yaml (vol1 rw and vol2 ro to 10.77.0.0/25, a VIP per node), then from the client
 * host with libnfs's NFSv4.0 tools: list, read and write through each VIP, a file written through one
 * VIP read through the other and through FUSE, the read-only export refuses a write, the second client
 * (10.77.0.200, outside the export's network) is refused; an export added and removed live without
 * ganesha restarting; a ganesha stopped by hand is one change.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterNfsE2ETest {
  static final String VIP1 = "10.77.0.201";
  static final String VIP2 = "10.77.0.202";
  static final Map<String, String> HOME = Map.of(VIP1, "gluster1", VIP2, "gluster2");
  @TempDir static Path tmp;

  @BeforeAll
  static void up() {
    LabHarness.up(2);
  }

  @AfterAll
  static void down() {
    LabHarness.down();
  }

  static String spec() {
    return LabHarness.example("lab-nfs.yaml").toString();
  }

  static JsonObject status() {
    return status(spec());
  }

  static JsonObject status(String spec) {
    CliRun r = CliRun.of("status", "-f", spec, "-o", "json");
    return JsonParser.parseString(r.out()).getAsJsonObject();
  }

  /** Nodes holding {@code vip}, read inside each host with ip(8), not through Brickyard. */
  static List<String> holders(String vip) throws Exception {
    return HOME.values().stream().sorted().filter(h -> {
      try {
        return LabHarness.exec(h, "ip", "-o", "addr", "show").out().contains(" " + vip + "/");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  /** Waits until no NFS node is in grace (ganesha refuses new state while it is), at most {@code max}. */
  static void awaitGraceOver(Duration max) throws Exception {
    awaitGraceOver(spec(), max);
  }

  /** The same for the cluster of {@code spec}. */
  static void awaitGraceOver(String spec, Duration max) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (true) {
      JsonObject nfs = status(spec).getAsJsonObject("nfs");
      // a ganesha still starting is not on D-Bus yet: it reads as down, not as out of grace
      boolean serving = nfs.getAsJsonArray("nodes").asList().stream().map(JsonElement::getAsJsonObject)
          .allMatch(n -> n.has("ganeshaUp") && n.get("ganeshaUp").getAsBoolean()
              && !(n.has("inGrace") && n.get("inGrace").getAsBoolean()));
      if (serving) {
        return;
      }
      assertThat(System.nanoTime()).as("ganesha not up and out of grace after " + max + ": " + nfs).isLessThan(end);
      Thread.sleep(500);
    }
  }

  static LabHarness.Exec nfs(String host, String tool, String... args) throws Exception {
    String[] argv = new String[args.length + 1];
    argv[0] = tool;
    System.arraycopy(args, 0, argv, 1, args.length);
    return LabHarness.exec(host, argv);
  }

  static String url(String vip, String path) {
    return "nfs://" + vip + path + "?version=4";
  }

  @Test
  @Order(0)
  void applyServesEveryExportOnEveryVipAndASecondApplyChangesNothing() throws Exception {
    CliRun r = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains(" 0 failed, 0 skipped")
        .contains("gluster1  changed   export vol1 as /vol1 (Export_Id 1")
        .contains("gluster2  changed   export vol2 as /vol2 (Export_Id 2")
        .contains("gluster1  changed   virtual IP 10.77.0.201/24 on its home node");
    assertThat(holders(VIP1)).containsExactly("gluster1");
    assertThat(holders(VIP2)).containsExactly("gluster2");
    CliRun again = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out()).contains("Apply: 0 changes.");
    // Export_Id registry in glusterd's store, readable on every node
    for (String h : List.of("gluster1", "gluster2")) {
      LabHarness.Exec get = LabHarness.exec(h, "gluster", "volume", "get", "brickyard-nfs-state",
          "user.brickyard.export-ids");
      assertThat(get.out()).as(h).contains("1:/vol1,2:/vol2");
    }
    JsonObject nfs = status().getAsJsonObject("nfs");
    assertThat(nfs.getAsJsonArray("vips")).hasSize(2).allSatisfy(v -> {
      JsonObject o = v.getAsJsonObject();
      assertThat(o.getAsJsonArray("holders").asList()).extracting(JsonElement::getAsString)
          .containsExactly(o.get("home").getAsString());
    });
    awaitGraceOver(Duration.ofSeconds(30));
  }

  @Test
  @Order(1)
  void aFileWrittenThroughOneVipReadsThroughTheOtherAndThroughFuse() throws Exception {
    // written straight into the client host's private /mnt: no shell in the host
    Path local = LabHarness.hostPath("client", "/mnt/hello.txt");
    Files.writeString(local, "written over NFSv4 through " + VIP1 + "\n");
    LabHarness.Exec cp = nfs("client", "nfs-cp", "/mnt/hello.txt", url(VIP1, "/vol1/hello.txt"));
    assertThat(cp.code()).as(cp.out()).isZero();
    LabHarness.Exec cat = nfs("client", "nfs-cat", url(VIP2, "/vol1/hello.txt"));
    assertThat(cat.code()).as(cat.out()).isZero();
    assertThat(cat.out()).isEqualTo(Files.readString(local));
    LabHarness.Exec ls = nfs("client", "nfs-ls", url(VIP2, "/vol1"));
    assertThat(ls.out()).contains("hello.txt");
    assertThat(LabHarness.exec("client", "mkdir", "-p", "/mnt/nfs-vol1").code()).isZero();
    LabHarness.Exec m = LabHarness.exec("client", "mount", "-t", "glusterfs", "gluster2:/vol1", "/mnt/nfs-vol1");
    assertThat(m.code()).as(m.out()).isZero();
    try {
      assertThat(LabHarness.exec("client", "cat", "/mnt/nfs-vol1/hello.txt").out()).isEqualTo(Files.readString(local));
    } finally {
      LabHarness.exec("client", "umount", "/mnt/nfs-vol1");
    }
  }

  @Test
  @Order(2)
  void theReadOnlyExportRefusesAWriteAndAClientOutsideTheExportsNetworkIsRefused() throws Exception {
    Files.writeString(LabHarness.hostPath("client", "/mnt/ro.txt"), "ro\n");
    LabHarness.Exec write = nfs("client", "nfs-cp", "/mnt/ro.txt", url(VIP1, "/vol2/ro.txt"));
    assertThat(write.code()).as(write.out()).isNotZero();
    assertThat(LabHarness.exec("gluster1", "test", "-e", "/gluster/vol2/brick1/brick/ro.txt").code()).isNotZero();
    assertThat(LabHarness.exec("gluster2", "test", "-e", "/gluster/vol2/brick1/brick/ro.txt").code()).isNotZero();
    LabHarness.Exec ls = nfs("client", "nfs-ls", url(VIP1, "/vol2"));
    assertThat(ls.code()).as("reading the ro export works: " + ls.out()).isZero();
    LabHarness.Exec outsider = nfs("client2", "nfs-ls", url(VIP1, "/vol1"));
    assertThat(outsider.code()).as("10.77.0.200 is outside 10.77.0.0/25: " + outsider.out()).isNotZero();
  }

  @Test
  @Order(3)
  void anExportAddedAndRemovedLiveLeavesGaneshaRunningAndTheFirstExportServing() throws Exception {
    long pid1 = LabHarness.unitPid("gluster1", "nfs-ganesha");
    long pid2 = LabHarness.unitPid("gluster2", "nfs-ganesha");
    String thirdExport = "    - volume: vol2\n      pseudo: /vol2-rw\n      squash: no_root_squash\n      clients:\n"
        + "        - cidrs: [10.77.0.0/25]\n";
    String withThird = Files.readString(Path.of(spec())).replace("\n  vips:\n", "\n" + thirdExport + "  vips:\n");
    assertThat(withThird).contains("/vol2-rw");
    Path third = tmp.resolve("lab-nfs-third-export.yaml");
    Files.writeString(third, withThird);
    CliRun add = CliRun.of("apply", "-f", third.toString(), "--yes");
    assertThat(add.code()).as(add.out() + add.err()).isZero();
    assertThat(add.out()).contains("export vol2 as /vol2-rw (Export_Id 3");
    Files.writeString(LabHarness.hostPath("client", "/mnt/rw.txt"), "rw\n");
    LabHarness.Exec cp = nfs("client", "nfs-cp", "/mnt/rw.txt", url(VIP2, "/vol2-rw/rw.txt"));
    assertThat(cp.code()).as(cp.out()).isZero();
    assertThat(nfs("client", "nfs-cat", url(VIP1, "/vol1/hello.txt")).code()).isZero();

    CliRun plan = CliRun.of("plan", "-f", spec());
    assertThat(plan.out()).contains("remove export /vol2-rw (Export_Id 3)");
    CliRun remove = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(remove.code()).as(remove.out() + remove.err()).isZero();
    assertThat(nfs("client", "nfs-ls", url(VIP2, "/vol2-rw")).code()).isNotZero();
    assertThat(nfs("client", "nfs-cat", url(VIP1, "/vol1/hello.txt")).code()).isZero();
    assertThat(LabHarness.unitPid("gluster1", "nfs-ganesha")).as("no restart on gluster1").isEqualTo(pid1);
    assertThat(LabHarness.unitPid("gluster2", "nfs-ganesha")).as("no restart on gluster2").isEqualTo(pid2);
    LabHarness.Exec ids = LabHarness.exec("gluster1", "gluster", "volume", "get", "brickyard-nfs-state",
        "user.brickyard.export-ids");
    assertThat(ids.out()).as("a removed export keeps its id: never given again").contains("1:/vol1,2:/vol2,3:/vol2-rw");
  }

  @Test
  @Order(4)
  void aGaneshaStoppedByHandIsOneChange() throws Exception {
    LabHarness.kill(LabHarness.unitPid("gluster2", "nfs-ganesha"), false);
    CliRun plan = CliRun.of("plan", "-f", spec(), "-o", "json");
    JsonObject p = JsonParser.parseString(plan.out()).getAsJsonObject();
    assertThat(p.getAsJsonArray("steps").asList()).extracting(s -> s.getAsJsonObject().get("id").getAsString())
        .containsExactly("gluster2/services/nfs-ganesha");
    CliRun apply = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(apply.code()).as(apply.out()).isZero();
    assertThat(apply.out()).contains("Apply complete: 1 changed");
    awaitGraceOver(Duration.ofSeconds(30));
    LabHarness.Exec read = nfs("client", "nfs-cat", url(VIP2, "/vol1/hello.txt"));
    assertThat(read.code()).as(read.out()).isZero();
  }

  /**
   * Moves of VIP1 back and forth ({@code brickyard.vipmove.runs}, default 4; the benchmark of
   * docs/benchmarks.md runs 10), with ip(8) sampled in both hosts every 100 ms throughout: never two
   * holders. Each move is timed from the start of `vip move` to the address answering ICMP from the new
   * holder's MAC (seen from the lab bridge, polled every ~50 ms) and to a new client's first successful
   * read (nfs-cat from the client host, polled). Each move waits for the new holder's grace, so CI runs
   * four, not ten.
   */
  @Test
  @Order(6)
  void movesNeverShowTwoHoldersAndAreTimed() throws Exception {
    int runs = Integer.getInteger("brickyard.vipmove.runs", 4);
    HolderSampler sampler = new HolderSampler(VIP1, List.of("gluster1", "gluster2"));
    sampler.start();
    List<long[]> timings = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        String to = i % 2 == 0 ? "gluster2" : "gluster1";
        // ip(8), not /sys/class/net: a lab host's sysfs is the root namespace's (not remounted per netns)
        String link = LabHarness.exec(to, "ip", "-o", "link", "show", "eth0").out();
        String mac = link.substring(link.indexOf("link/ether ") + 11).split("\\s+")[0];
        long t0 = System.nanoTime();
        java.util.concurrent.CompletableFuture<CliRun> move = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> CliRun.of("vip", "move", VIP1, "--to", to, "-f", spec()));
        long answering = MoveTiming.awaitAnswering(VIP1, mac, t0, Duration.ofSeconds(20));
        CliRun done = move.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.code()).as(done.out() + done.err()).isZero();
        long firstRead = MoveTiming.awaitFirstRead(() -> nfs("client", "nfs-cat", url(VIP1, "/vol1/hello.txt")).code() == 0,
            t0, Duration.ofSeconds(60));
        timings.add(new long[] {answering, firstRead});
        assertThat(holders(VIP1)).containsExactly(to);
      }
    } finally {
      sampler.stop();
    }
    System.out.println(MoveTiming.table("vip move (2 cores)", timings));
    assertThat(sampler.samples()).as("samples taken").isGreaterThan(50);
    assertThat(sampler.doubleHeld()).as("ticks with two holders").isEmpty();
    CliRun history = CliRun.of("history", "-n", "10");
    assertThat(history.out()).contains("vip-move").contains(VIP1 + " gluster2 -> gluster1");
  }

  /** A VIP away from home is drift that apply leaves alone; apply --move-vips moves it home. */
  @Test
  @Order(7)
  void aVipAwayFromHomeIsDriftUntilApplyMoveVips() throws Exception {
    CliRun away = CliRun.of("vip", "move", VIP1, "--to", "gluster2", "-f", spec());
    assertThat(away.code()).as(away.out() + away.err()).isZero();
    CliRun plan = CliRun.of("plan", "-f", spec());
    assertThat(plan.out()).contains("virtual IP 10.77.0.201/24 is held by gluster2, its home is gluster1");
    CliRun apply = CliRun.of("apply", "-f", spec(), "--yes");
    assertThat(apply.code()).as(apply.out()).isZero();
    assertThat(holders(VIP1)).as("apply alone moves no address").containsExactly("gluster2");
    CliRun home = CliRun.of("apply", "-f", spec(), "--yes", "--move-vips");
    assertThat(home.code()).as(home.out() + home.err()).isZero();
    assertThat(home.out()).contains("move virtual IP 10.77.0.201/24 from gluster2 to its home gluster1");
    assertThat(holders(VIP1)).containsExactly("gluster1");
    assertThat(holders(VIP2)).containsExactly("gluster2");
  }
}
