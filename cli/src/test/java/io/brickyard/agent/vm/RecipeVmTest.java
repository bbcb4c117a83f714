package io.brickyard.agent.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.brickyard.common.tls.CertAuthority;
import io.brickyard.common.tls.Role;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's named gap: examples/recipe.yaml, unchanged, end to end through {@code plan} and
 * {@code apply} (docs/vm-tier.md). Two guests, because device-mapper names are global to a kernel
 * (both nodes have VG {@code data}): gluster1 (10.130.0.1) and gluster2 (10.130.0.2), each with its
 * own disk as /dev/sda (virtio-scsi), on a point-to-point qemu UDP-socket link that exists only
 * between the two qemu processes. Each runs the real agent daemon (mTLS, certificates issued here by
 * the CA code the CLI's {@code certs} command uses); gluster1 also the real coordinator daemon and
 * the CLI ({@link RecipeVmNode}). Every assertion reads what lvs, xfs_info, findmnt, /etc/fstab,
 * firewall-cmd and the gluster CLI said inside the guests, or what the CLI printed.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecipeVmTest {
  static final List<String> NODES = List.of("gluster1", "gluster2");
  static final Path KEEP = Path.of("target", "vm-captures", "recipe");
  @TempDir
  static Path tmp;
  private final Map<String, Node> nodes = new HashMap<>();
  private String unavailable;

  /** What one guest left: its console's step lines and its out share. */
  record Node(VmResults results, Path files) {
    String file(String name) throws IOException {
      return Files.readString(files.resolve(name));
    }
  }

  @BeforeAll
  void bootBothGuests() throws Exception {
    Path spec = Path.of("..", "examples", "recipe.yaml").toAbsolutePath().normalize();
    assertThat(spec).exists();
    CertAuthority ca = CertAuthority.init(tmp.resolve("ca"), "recipe", Duration.ofDays(1));
    Path sync = Files.createDirectories(tmp.resolve("sync"));
    int[] ports = freeUdpPorts();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<String, Future<NodeVm.Run>> runs = new HashMap<>();
      for (int i = 0; i < NODES.size(); i++) {
        String name = NODES.get(i);
        int index = i;
        Path keep = KEEP.resolve(name);
        NodeVm.Guest guest = new NodeVm.Guest(RecipeVmNode.class.getName(),
            (host, dir) -> machine(host, dir, ca, sync, spec, index, ports), keep);
        runs.put(name, pool.submit(() -> NodeVm.boot(tmp.resolve(name), guest)));
      }
      for (String name : NODES) {
        try {
          nodes.put(name, new Node(runs.get(name).get().results(), KEEP.resolve(name)));
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof NodeVm.Unavailable u) {
            unavailable = u.getMessage();
            return;
          }
          throw new AssertionError(name + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One guest: 4 GiB sparse disk as /dev/sda, the link to the other guest, its properties and certificates. */
  private static QemuVm machine(VmHost host, Path dir, CertAuthority ca, Path sync, Path spec, int index, int[] ports)
      throws Exception {
    String name = NODES.get(index);
    Path out = Files.createDirectories(dir.resolve("out"));
    Path tls = Files.createDirectories(out.resolve("tls"));
    Path issued = Files.createDirectories(dir.resolve("issued"));
    ca.issue(issued, name, Role.NODE, List.of(name, address(index)), Duration.ofDays(1));
    Files.copy(issued.resolve("ca.crt"), tls.resolve("ca.crt"));
    Files.copy(issued.resolve(name + ".crt"), tls.resolve("node.crt"));
    Files.copy(issued.resolve(name + ".key"), tls.resolve("node.key"));
    if (index == 0) {
      ca.issue(tls, "coordinator", Role.COORDINATOR, List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
      ca.issue(tls, "admin", Role.ADMIN, List.of(), Duration.ofDays(1));
    }
    StringBuilder hosts = new StringBuilder();
    for (int i = 0; i < NODES.size(); i++) {
      hosts.append(i == 0 ? "" : ";").append(address(i)).append(' ').append(NODES.get(i));
    }
    String mac = "52:54:00:13:00:0" + (index + 1);
    Files.writeString(out.resolve("guest.properties"), String.join("\n", "name=" + name, "address=" + address(index),
        "mac=" + mac, "hosts=" + hosts, "nodes=" + String.join(",", NODES), "driver=" + (index == 0), "spec=" + spec) + "\n");
    QemuVm vm = new QemuVm(host, dir);
    if (index == 0) {
      // gluster1 runs three JVMs (agent, coordinator, CLI) while gluster2 mostly waits, halted:
      // a second vCPU lets it use the host core gluster2 leaves idle (docs/vm-tier.md)
      vm.smp(System.getProperty("brickyard.vm.recipe.smp", "2"));
    }
    return vm
        .scsiDisk(QemuVm.sparseDisk(dir.resolve("sda.img"), 4 * NodeVm.GIB))
        .udpLink(mac, ports[index], ports[1 - index])
        .share("brickyardsync", sync)
        .outDir(out)
        .timeout(Duration.ofMinutes(15));
  }

  static String address(int index) {
    return "10.130.0." + (index + 1);
  }

  /** Two UDP ports free on 127.0.0.1 right now (qemu binds them a moment later). */
  private static int[] freeUdpPorts() throws IOException {
    try (DatagramSocket a = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
        DatagramSocket b = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }

  @BeforeEach
  void requireTheVms() {
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
  }

  private Node node(String name) {
    return nodes.get(name);
  }

  private Node driver() {
    return node("gluster1");
  }

  @Test
  void planShowsEveryStepOfTheRecipe() throws IOException {
    String plan = driver().file("plan.txt");
    assertThat(driver().results().get("plan").get("exit").getAsInt()).as(plan).isZero();
    for (String n : NODES) {
      String node = plan.substring(plan.indexOf("node " + n + ":"));
      assertThat(node).as(plan).containsSubsequence("] allow glusterfs from 10.130.0.0/16", "] glusterd running and enabled",
          "] LVM physical volume on /dev/sda", "] volume group data on /dev/sda", "] thin pool data/thinpool (100%FREE, --zero n)",
          "] thin LV data/vol1 (virtual 1G) in thinpool", "] XFS on /dev/data/vol1 (-i size=512 -n size=8192)",
          "] /dev/data/vol1 mounted at /gluster/vol1/brick1", "] brick directory /gluster/vol1/brick1/brick",
          "] thin LV data/vol2 (virtual 1G) in thinpool", "] brick directory /gluster/vol2/brick1/brick");
    }
    assertThat(plan).contains("cluster-wide:").containsSubsequence("peer probe gluster2 from gluster1",
        "volume vol1 (replicate, 2 bricks)", "volume vol1 started", "volume vol2 (distribute, 2 bricks)", "volume vol2 started");
    // firewalld runs already (boot services): every other step of both nodes and the cluster is to run
    assertThat(plan).contains("Plan: 31 step(s) to run.");
  }

  @Test
  void applyChangesEverythingAndFailsNothing() throws IOException {
    String apply = driver().file("apply.txt");
    assertThat(driver().results().get("apply").get("exit").getAsInt()).as(apply).isZero();
    assertThat(apply).contains("Apply complete: 31 changed, 0 unchanged, 0 failed, 0 skipped");
    for (String n : NODES) {
      assertThat(apply).contains(n + "  changed   glusterd running and enabled")
          .contains(n + "  changed   allow glusterfs from 10.130.0.0/16")
          .contains(n + "  changed   thin pool data/thinpool (100%FREE, --zero n)")
          .contains(n + "  changed   XFS on /dev/data/vol2 (-i size=512 -n size=8192)");
      assertThat(driver().results().get("firewalld-" + n).get("changed").getAsBoolean()).isTrue();
    }
    assertThat(apply).contains("cluster   changed   peer probe gluster2 from gluster1")
        .contains("cluster   changed   volume vol1 started").contains("cluster   changed   volume vol2 started");
  }

  @Test
  void theSecondApplyChangesNothing() throws IOException {
    String again = driver().file("apply-again.txt");
    assertThat(driver().results().get("apply-again").get("exit").getAsInt()).as(again).isZero();
    assertThat(again).contains("Apply: 0 changes.");
  }

  @Test
  void eachNodeHasTheThinPoolAndBothThinVolumesInVgData() throws IOException {
    for (String n : NODES) {
      Map<String, JsonObject> lvs = new HashMap<>();
      JsonObject report = JsonParser.parseString(node(n).file("lvs.json")).getAsJsonObject();
      for (JsonElement e : report.getAsJsonArray("report").get(0).getAsJsonObject().getAsJsonArray("lv")) {
        lvs.put(e.getAsJsonObject().get("lv_name").getAsString(), e.getAsJsonObject());
      }
      assertThat(lvs.keySet()).as(n).contains("thinpool", "vol1", "vol2");
      assertThat(lvs.get("thinpool").get("lv_attr").getAsString()).as(n).startsWith("t");
      for (String v : List.of("vol1", "vol2")) {
        JsonObject lv = lvs.get(v);
        assertThat(lv.get("vg_name").getAsString()).isEqualTo("data");
        assertThat(lv.get("pool_lv").getAsString()).isEqualTo("thinpool");
        assertThat(lv.get("lv_attr").getAsString()).as(n + " " + v).startsWith("V").contains("a");
        assertThat(lv.get("lv_size").getAsString()).as(n + " " + v).isEqualTo("1.00g");
        assertThat(lv.get("lv_tags").getAsString()).contains("brickyard");
      }
    }
  }

  @Test
  void eachThinVolumeIsXfsMountedWithItsFstabLine() throws IOException {
    for (String n : NODES) {
      Node node = node(n);
      String fstab = node.file("fstab");
      String mounts = node.file("findmnt.json");
      for (String v : List.of("vol1", "vol2")) {
        String xfs = node.file("xfs-" + v + ".txt");
        assertThat(xfs).as(n + " " + v).contains("isize=512").containsPattern("naming\\s+=version 2\\s+bsize=8192");
        assertThat(fstab).as(n).containsPattern("(?m)^\\S+ /gluster/" + v + "/brick1 xfs rw,noatime,nouuid,inode64,nofail,nosuid,nodev 0 0");
        assertThat(mounts).as(n).containsPattern("\"target\":\\s*\"/gluster/" + v + "/brick1\",\\s*\"source\":\\s*\"/dev/mapper/data-" + v + "\"");
      }
      assertThat(node.file("brick-dirs.txt")).contains("/gluster/vol1/brick1/brick").contains("/gluster/vol2/brick1/brick");
      assertThat(node.file("rich-rules.txt")).as(n)
          .contains("rule family=\"ipv4\" source address=\"10.130.0.0/16\" service name=\"glusterfs\" accept");
    }
  }

  @Test
  void bothVolumesAreStartedAndThePeersConnected() throws IOException {
    for (String n : NODES) {
      String info = node(n).file("volume-info.xml");
      assertThat(info).as(n).contains("<name>vol1</name>").contains("<name>vol2</name>");
      assertThat(volume(info, "vol1")).contains("<typeStr>Replicate</typeStr>").contains("<statusStr>Started</statusStr>")
          .contains("<brickCount>2</brickCount>").contains("<replicaCount>2</replicaCount>")
          .contains("gluster1:/gluster/vol1/brick1/brick").contains("gluster2:/gluster/vol1/brick1/brick");
      assertThat(volume(info, "vol2")).contains("<typeStr>Distribute</typeStr>").contains("<statusStr>Started</statusStr>")
          .contains("<brickCount>2</brickCount>")
          .contains("gluster1:/gluster/vol2/brick1/brick").contains("gluster2:/gluster/vol2/brick1/brick");
      String peers = node(n).file("peer-status.xml");
      String other = n.equals("gluster1") ? "gluster2" : "gluster1";
      assertThat(peers).as(n).contains("<hostname>" + other + "</hostname>").contains("<connected>1</connected>")
          .contains("<stateStr>Peer in Cluster</stateStr>");
    }
  }

  /** The {@code <volume>} element of one volume in {@code volume info --xml}. */
  private static String volume(String xml, String name) {
    int at = xml.indexOf("<name>" + name + "</name>");
    assertThat(at).as(name + " in " + xml).isNotNegative();
    int start = xml.lastIndexOf("<volume>", at);
    int end = xml.indexOf("</volume>", at);
    return xml.substring(start, end);
  }
}
