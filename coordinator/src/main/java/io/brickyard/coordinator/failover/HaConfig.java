package io.brickyard.coordinator.failover;

import io.brickyard.coordinator.spec.ClusterSpec;
import io.brickyard.coordinator.spec.CoordinationSpec;
import io.brickyard.coordinator.spec.CoordinationSpec.Failback;
import io.brickyard.coordinator.spec.ExportSpec;
import io.brickyard.coordinator.spec.NfsSpec;
import io.brickyard.coordinator.spec.VipSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the leader assigns, taken from the last applied spec and kept in ZooKeeper
 * ({@code /brickyard/config}), so that every coordinator, a standby that becomes leader included,
 * works from the same VIPs, homes and policy without a spec file of its own. Stored as lines:
 * {@code nodes gluster1 gluster2}, {@code failback auto 30}, {@code vip 10.77.0.201/24 gluster1 [eth0]},
 * {@code recovery brickyard-nfs-state /var/lib/brickyard/nfs-state}, {@code grace 10 3}, {@code exports vol1 vol2}.
 *
 * @param recovery where the NFSv4 client records live, for the takeover link a new holder needs before
 *     it takes an address; null in a configuration written before it was published (no link is set)
 * @param grace ganesha's grace period and lease, for grace sent early ({@link EarlyGrace}); null in a
 *     configuration written before it was published (grace is then sent at the take only)
 * @param exportedVolumes the gluster volumes the nodes export, whose bricks' health ranks the nodes a VIP
 *     may go to ({@link BrickHealth}); empty in a configuration written before it was published
 */
public record HaConfig(List<String> nfsNodes, List<Vip> vips, Failback failback, int failbackDelaySeconds,
    Recovery recovery, Grace grace, List<String> exportedVolumes) {
  public static final String PATH = "/brickyard/config";

  public HaConfig {
    nfsNodes = List.copyOf(nfsNodes);
    vips = List.copyOf(vips);
    exportedVolumes = List.copyOf(exportedVolumes);
  }

  /** The recovery store: its gluster volume and where the nodes mount it. */
  public record Recovery(String volume, String mountPoint) {
    public Recovery {
      if (volume.isBlank() || volume.contains(" ") || !mountPoint.startsWith("/") || mountPoint.contains(" ")) {
        throw new IllegalArgumentException("recovery: bad volume '" + volume + "' or mount point '" + mountPoint + "'");
      }
    }
  }

  /** The nodes' NFSv4 grace period and lease lifetime (the spec's nfs.gracePeriod and nfs.leaseLifetime). */
  public record Grace(int periodSeconds, int leaseSeconds) {
    public Grace {
      if (periodSeconds < 1 || leaseSeconds < 1) {
        throw new IllegalArgumentException("grace: bad period " + periodSeconds + " or lease " + leaseSeconds);
      }
    }
  }

  /** One VIP: its address with prefix, its home node, its interface (empty: the agent finds it). */
  public record Vip(String cidr, String home, String iface) {
    public String ip() {
      return cidr.substring(0, cidr.indexOf('/'));
    }
  }

  /** The HA configuration of a spec with both an nfs and a coordination section. */
  public static Optional<HaConfig> of(ClusterSpec spec) {
    if (spec.nfs().isEmpty() || spec.coordination().isEmpty()) {
      return Optional.empty();
    }
    NfsSpec nfs = spec.nfs().get();
    CoordinationSpec c = spec.coordination().get();
    List<Vip> vips = new ArrayList<>();
    for (VipSpec v : nfs.vips()) {
      vips.add(new Vip(v.address().toString(), v.home(), v.networkInterface().orElse("")));
    }
    return Optional.of(new HaConfig(nfs.nodes(), vips, c.failback(), c.failbackDelaySeconds(),
        new Recovery(nfs.recovery().volume(), nfs.recovery().mountPoint().toString()),
        new Grace(nfs.gracePeriodSeconds(), nfs.leaseLifetimeSeconds()),
        nfs.exports().stream().map(ExportSpec::volume).distinct().toList()));
  }

  public byte[] bytes() {
    StringBuilder b = new StringBuilder("nodes");
    nfsNodes.forEach(n -> b.append(' ').append(n));
    b.append("\nfailback ").append(failback.yamlName()).append(' ').append(failbackDelaySeconds).append('\n');
    for (Vip v : vips) {
      b.append("vip ").append(v.cidr()).append(' ').append(v.home());
      if (!v.iface().isEmpty()) {
        b.append(' ').append(v.iface());
      }
      b.append('\n');
    }
    if (recovery != null) {
      b.append("recovery ").append(recovery.volume()).append(' ').append(recovery.mountPoint()).append('\n');
    }
    if (grace != null) {
      b.append("grace ").append(grace.periodSeconds()).append(' ').append(grace.leaseSeconds()).append('\n');
    }
    if (!exportedVolumes.isEmpty()) {
      b.append("exports ").append(String.join(" ", exportedVolumes)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static HaConfig parse(byte[] data) {
    List<String> nodes = List.of();
    List<Vip> vips = new ArrayList<>();
    Failback fb = Failback.AUTO;
    int delay = CoordinationSpec.DEFAULT_FAILBACK_DELAY_SECONDS;
    Recovery recovery = null;
    Grace grace = null;
    List<String> exported = List.of();
    for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
      String[] w = line.strip().split(" ");
      switch (w[0]) {
        case "nodes" -> nodes = List.of(w).subList(1, w.length);
        case "failback" -> {
          fb = Failback.valueOf(w[1].toUpperCase(java.util.Locale.ROOT));
          delay = Integer.parseInt(w[2]);
        }
        case "vip" -> vips.add(new Vip(w[1], w[2], w.length > 3 ? w[3] : ""));
        case "recovery" -> recovery = new Recovery(w[1], w[2]);
        case "grace" -> grace = new Grace(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
        case "exports" -> exported = List.of(w).subList(1, w.length);
        case "" -> { }
        default -> throw new IllegalArgumentException("unknown line in " + PATH + ": " + line);
      }
    }
    return new HaConfig(nodes, vips, fb, delay, recovery, grace, exported);
  }
}
