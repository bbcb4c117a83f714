package io.brickyard.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.Fixtures;
import io.brickyard.agent.facts.IpAddr;
import io.brickyard.agent.lvm.LvmJson;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.service.ServiceBackend;
import io.brickyard.agent.storage.MountTable;
import io.brickyard.api.agent.v1.ServiceState;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import io.brickyard.common.metrics.MetricsEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage metrics from captured command output (lvs/vgs in the VM tier, findmnt and df on loop
 * mounts, ip addr with a VIP): the numbers on /metrics are the node's, labelled as documented, and
 * the cache keeps a second scrape within {@link NodeMetrics#MAX_AGE} from running anything.
 */
class NodeMetricsTest {
  @TempDir Path tmp;
  private final List<Command> ran = new ArrayList<>();

  private CommandRunner fixtures(boolean lvmInstalled) {
    return c -> {
      ran.add(c);
      String tool = c.argv().get(0);
      String out = switch (tool) {
        case "lvs" -> lvmInstalled ? Fixtures.read("lvm/lvs.json") : null;
        case "vgs" -> lvmInstalled ? Fixtures.read("lvm/vgs.json") : null;
        case "findmnt" -> Fixtures.read("findmnt/list-two-loop-mounts.json");
        case "df" -> Fixtures.read("df/two-xfs.txt");
        case "ip" -> Fixtures.read("ip/vip-held.json");
        default -> "";
      };
      return out == null ? new CommandResult(c, 127, "", tool + ": not found", Duration.ZERO, false)
          : new CommandResult(c, 0, out, "", Duration.ZERO, false);
    };
  }

  private static ServiceBackend units(String active, String installed) {
    return new ServiceBackend() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public ServiceState status(String unit) {
        return ServiceState.newBuilder().setUnit(unit).setActive(unit.equals(active))
            .setInstalled(installed.contains(unit)).build();
      }

      @Override
      public void ensure(Operation op, String unit, boolean running, boolean enabled, boolean restart) {
        throw new UnsupportedOperationException();
      }
    };
  }

  private String scrape(boolean lvm, AtomicLong clock) throws Exception {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "UUID=1 / ext4 defaults 0 1\n"
        + "/dev/loop0 /tmp/stcap/mnt xfs rw,noatime 0 0 # managed by brickyard\n"
        + "/dev/loop1 /tmp/stcap/mnt\\040with\\040space xfs rw 0 0\n"
        + "/dev/data/vol9 /gluster/vol9/brick1 xfs rw 0 0 # managed by brickyard\n");
    MetricsEndpoint ep = new MetricsEndpoint("brickyard_agent");
    AgentContext ctx = new AgentContext(fixtures(lvm), units("glusterd", "glusterd firewalld"),
        new AgentContext.Paths(fstab, tmp), ep.registry());
    NodeMetrics m = new NodeMetrics(new NodeReads(ctx)::read, ep.registry(), clock::get);
    ep.beforeScrape(m::refresh);
    return ep.scrape();
  }

  @Test
  void thinPoolsVgsBricksUnitsAndVipsAreExportedWithTheNodesNumbers() throws Exception {
    String text = scrape(true, new AtomicLong());
    // lvs.json: data/thinpool lv_size 5347737600, data 2.58%, metadata 8388608 at 11.33%
    assertThat(text).contains("gluster_thinpool_data_total_bytes{thinpool_name=\"thinpool\",vg_name=\"data\"} 5.3477376E9")
        .contains("gluster_thinpool_data_used_bytes{thinpool_name=\"thinpool\",vg_name=\"data\"} " + (5347737600.0 * 2.58 / 100))
        .contains("gluster_thinpool_metadata_total_bytes{thinpool_name=\"thinpool\",vg_name=\"data\"} 8388608.0")
        .contains("gluster_thinpool_metadata_used_bytes{thinpool_name=\"thinpool\",vg_name=\"data\"} " + (8388608 * 11.33 / 100))
        .contains("brickyard_vg_size_bytes{vg_name=\"data\"} 5.364514816E9")
        .contains("brickyard_vg_free_bytes{vg_name=\"data\"} 0.0");
    // only the thin pool, not its thin volumes
    assertThat(text.lines().filter(l -> l.startsWith("gluster_thinpool_data_total_bytes{"))).hasSize(1);
    // the marked line is a brick; the admin's line for the other loop mount is not; the marked
    // line whose filesystem is not mounted reports mounted 0 and no sizes (they would be "/"'s)
    assertThat(text).contains("brickyard_brick_fs_mounted{mountpoint=\"/tmp/stcap/mnt\"} 1.0")
        .contains("brickyard_brick_fs_mounted{mountpoint=\"/gluster/vol9/brick1\"} 0.0")
        .contains("brickyard_brick_fs_size_bytes{mountpoint=\"/tmp/stcap/mnt\"} 1.00663296E9")
        .contains("brickyard_brick_fs_used_bytes{mountpoint=\"/tmp/stcap/mnt\"} 5.1351552E7")
        .contains("brickyard_brick_fs_free_bytes{mountpoint=\"/tmp/stcap/mnt\"} 9.55281408E8")
        .contains("brickyard_brick_fs_inodes{mountpoint=\"/tmp/stcap/mnt\"} 524288.0")
        .contains("brickyard_brick_fs_inodes_free{mountpoint=\"/tmp/stcap/mnt\"} 524284.0")
        .doesNotContain("with space").doesNotContain("brickyard_brick_fs_size_bytes{mountpoint=\"/gluster/vol9/brick1\"}");
    assertThat(text).contains("brickyard_service_up{unit=\"glusterd\"} 1.0").contains("brickyard_service_up{unit=\"firewalld\"} 0.0")
        .doesNotContain("unit=\"nfs-ganesha\"");
    assertThat(text).contains("brickyard_vip_held{address=\"10.231.9.100/24\",interface=\"eth0\"} 1.0");
    assertThat(text).contains("brickyard_agent_node_read_ok{source=\"lvm\"} 1.0")
        .contains("brickyard_agent_node_read_ok{source=\"bricks\"} 1.0").contains("brickyard_agent_node_read_seconds_count 1");
    // df was asked only about the mounted brick
    assertThat(ran).filteredOn(c -> c.argv().get(0).equals("df")).singleElement()
        .satisfies(c -> assertThat(c.argv()).endsWith("--", "/tmp/stcap/mnt"));
    assertThat(ran).extracting(c -> c.argv().get(0)).contains("lvs", "vgs", "findmnt", "ip");
    assertThat(ran).extracting(Command::argv).contains(LvmJson.lvsCommand().argv(), MountTable.all().argv(),
        IpAddr.COMMAND.argv());
  }

  @Test
  void aNodeWithoutLvmStillReportsItsBricksAndSaysLvmCouldNotBeRead() throws Exception {
    String text = scrape(false, new AtomicLong());
    assertThat(text).doesNotContain("gluster_thinpool_data_total_bytes{").doesNotContain("brickyard_vg_size_bytes{")
        .contains("brickyard_agent_node_read_ok{source=\"lvm\"} 0.0")
        .contains("brickyard_brick_fs_size_bytes{mountpoint=\"/tmp/stcap/mnt\"}");
  }

  @Test
  void scrapesWithinTheMaxAgeReuseTheLastRead() throws Exception {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "");
    MetricsEndpoint ep = new MetricsEndpoint("brickyard_agent");
    AgentContext ctx = new AgentContext(fixtures(true), units("", ""), new AgentContext.Paths(fstab, tmp), ep.registry());
    AtomicLong clock = new AtomicLong(1_000);
    NodeMetrics m = new NodeMetrics(new NodeReads(ctx)::read, ep.registry(), clock::get);
    ep.beforeScrape(m::refresh);
    ep.scrape();
    int after1 = ran.size();
    clock.addAndGet(NodeMetrics.MAX_AGE.toNanos() - 1);
    ep.scrape();
    assertThat(ran).hasSize(after1);
    clock.addAndGet(1);
    ep.scrape();
    assertThat(ran).hasSize(2 * after1);
  }

  /** A hung read (a suspended dm table, a dying disk) must not hang the scrape: the previous values are served. */
  @Test
  void aHungReadDoesNotHangTheScrape() throws Exception {
    Path fstab = tmp.resolve("fstab");
    Files.writeString(fstab, "");
    MetricsEndpoint ep = new MetricsEndpoint("brickyard_agent");
    AgentContext ctx = new AgentContext(fixtures(true), units("glusterd", "glusterd"), new AgentContext.Paths(fstab, tmp),
        ep.registry());
    AtomicLong clock = new AtomicLong();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    NodeReads real = new NodeReads(ctx);
    NodeMetrics m = new NodeMetrics(() -> {
      if (reads.incrementAndGet() > 1) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.read();
    }, ep.registry(), clock::get);
    ep.beforeScrape(m::refresh);
    assertThat(ep.scrape()).contains("brickyard_service_up{unit=\"glusterd\"} 1.0");
    clock.addAndGet(NodeMetrics.MAX_AGE.toNanos());
    long t0 = System.nanoTime();
    String second = ep.scrape();
    long waited = (System.nanoTime() - t0) / 1_000_000;
    assertThat(waited).isBetween(NodeMetrics.SCRAPE_WAIT.toMillis() - 100, NodeMetrics.SCRAPE_WAIT.toMillis() + 2000);
    assertThat(second).contains("brickyard_service_up{unit=\"glusterd\"} 1.0");
    ep.scrape(); // the hung read is still the one in flight: no second read piles up
    assertThat(reads.get()).isEqualTo(2);
    release.countDown();
  }

  @Test
  void noCommandOfAMetricsReadMayRunLongerThanTheCap() throws Exception {
    scrape(true, new AtomicLong());
    assertThat(ran).isNotEmpty().allSatisfy(c -> assertThat(c.timeout()).isLessThanOrEqualTo(NodeReads.COMMAND_TIMEOUT));
  }

  @Test
  void buildInfoCarriesTheVersion() {
    MetricsEndpoint ep = new MetricsEndpoint("brickyard_agent").buildInfo("9.8.7");
    assertThat(ep.scrape()).containsPattern("(?m)^brickyard_agent_build_info\\{java_version=\"[^\"]+\",version=\"9.8.7\"} 1$");
  }
}
