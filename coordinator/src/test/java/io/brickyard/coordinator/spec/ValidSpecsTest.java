package io.brickyard.coordinator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.common.net.Cidr;
import io.brickyard.common.net.HostPort;
import io.brickyard.coordinator.spec.ExportSpec.Access;
import io.brickyard.coordinator.spec.ExportSpec.Client;
import io.brickyard.coordinator.spec.ExportSpec.Squash;
import io.brickyard.coordinator.spec.LvmStorage.Autoextend;
import io.brickyard.coordinator.spec.LvmStorage.ThinPool;
import io.brickyard.coordinator.spec.LvmStorage.ThinVolume;
import io.brickyard.coordinator.spec.MkfsOptions.Raid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Valid specs parse into exactly the expected model; the shipped examples validate. */
class ValidSpecsTest {
  /** Surefire runs with the module directory as working directory; examples/ is at the repo root. */
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String SPLIT_BRAIN =
      "replica 2 volumes are prone to split-brain; use type arbiter or replica 3 to avoid this";

  private static final List<String> DEFAULT_MOUNT =
      List.of("rw", "noatime", "nouuid", "inode64", "nofail", "nosuid", "nodev");
  private static final List<Brick> VOL1_BRICKS = List.of(new Brick("gluster1", "/gluster/vol1/brick1/brick"),
      new Brick("gluster2", "/gluster/vol1/brick1/brick"));
  private static final List<Brick> VOL2_BRICKS = List.of(new Brick("gluster1", "/gluster/vol2/brick1/brick"),
      new Brick("gluster2", "/gluster/vol2/brick1/brick"));

  @Test
  void recipeExampleIsTheRecipesCluster() throws Exception {
    SpecParser.Result r = analyze(EXAMPLES.resolve("recipe.yaml"));

    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).containsExactly(Issue.warning("volumes[0].replica", SPLIT_BRAIN));
    LvmStorage lvm = new LvmStorage(List.of("/dev/sda"), false, "data",
        new ThinPool("thinpool", new PercentSize(100, PercentSize.Base.FREE), Optional.empty(), Optional.empty(),
            false, Optional.empty()),
        List.of(new ThinVolume("vol1", Size.ofGib(1), "/gluster/vol1/brick1", false),
            new ThinVolume("vol2", Size.ofGib(1), "/gluster/vol2/brick1", false)),
        MkfsOptions.DEFAULTS, DEFAULT_MOUNT);
    ClusterSpec expected = new ClusterSpec("recipe",
        List.of(new NodeSpec("gluster1", new HostPort("gluster1", 7443), "gluster1"),
            new NodeSpec("gluster2", new HostPort("gluster2", 7443), "gluster2")),
        Optional.of(new FirewallSpec(Optional.empty(), List.of(new Cidr("10.130.0.0", 16)), List.of("glusterfs"))),
        new StorageSpec(List.of(lvm), Map.of()),
        List.of(new VolumeSpec("vol1", VolumeType.REPLICATE, 2, 0, 0, 0, "tcp", VOL1_BRICKS, Map.of(), false),
            new VolumeSpec("vol2", VolumeType.DISTRIBUTE, 0, 0, 0, 0, "tcp", VOL2_BRICKS, Map.of(), false)));
    assertThat(r.spec()).contains(expected);
    assertThat(expected.storageFor("gluster2").get(0).mounts()).extracting(StorageEntry.Mount::device)
        .containsExactly("/dev/data/vol1", "/dev/data/vol2");
  }

  @Test
  void labExampleUsesPlainXfsDevicesAndIpAgentAddresses() throws Exception {
    SpecParser.Result r = analyze(EXAMPLES.resolve("lab.yaml"));

    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).containsExactly(Issue.warning("volumes[0].replica", SPLIT_BRAIN));
    ClusterSpec expected = new ClusterSpec("lab",
        List.of(new NodeSpec("gluster1", new HostPort("10.77.0.11", 7443), "gluster1"),
            new NodeSpec("gluster2", new HostPort("10.77.0.12", 7443), "gluster2")),
        Optional.of(new FirewallSpec(Optional.empty(), List.of(new Cidr("10.77.0.0", 24)), List.of("glusterfs"))),
        new StorageSpec(List.of(
            new XfsDevice("/dev/sdb", false, "/gluster/vol1/brick1", true, MkfsOptions.DEFAULTS, DEFAULT_MOUNT),
            new XfsDevice("/dev/sdc", false, "/gluster/vol2/brick1", true, MkfsOptions.DEFAULTS, DEFAULT_MOUNT)),
            Map.of()),
        List.of(new VolumeSpec("vol1", VolumeType.REPLICATE, 2, 0, 0, 0, "tcp", VOL1_BRICKS, Map.of(), false),
            new VolumeSpec("vol2", VolumeType.DISTRIBUTE, 0, 0, 0, 0, "tcp", VOL2_BRICKS, Map.of(), false)));
    assertThat(r.spec()).contains(expected);
  }

  @Test
  void fullSpecMapsEveryField() throws Exception {
    SpecParser.Result r = analyze(resource("specs/valid/full.yaml"));

    assertThat(r.issues()).isEmpty();
    ClusterSpec s = r.spec().orElseThrow();
    assertThat(s.name()).isEqualTo("prod-east");
    assertThat(s.nodes()).containsExactly(
        new NodeSpec("s1", new HostPort("mgmt-s1.example.com", 9443), "s1.storage.example.com"),
        new NodeSpec("s2", new HostPort("fd00::2", 7443), "s2"),
        new NodeSpec("s3", new HostPort("s3", 7443), "s3"));
    assertThat(s.firewall()).contains(new FirewallSpec(Optional.of("internal"),
        List.of(new Cidr("10.130.0.0", 16), new Cidr("fd00::", 64), new Cidr("192.168.1.7", 32)),
        List.of("glusterfs")));
    LvmStorage lvm = new LvmStorage(List.of("/dev/disk/by-id/wwn-0x5000c500a1", "/dev/sdc"), false, "vg_bricks",
        new ThinPool("tp", Size.ofGib(2048), Optional.of(Size.ofGib(16)), Optional.of(Size.ofKib(256)), false,
            Optional.of(new Autoextend(80, 20))),
        List.of(new ThinVolume("arb", Size.ofGib(1024), "/bricks/arb", true),
            new ThinVolume("ec", Size.ofGib(512), "/bricks/ec", false)),
        new MkfsOptions(1024, 8192, Optional.of(new Raid(Size.ofKib(256), 10))),
        List.of("rw", "noatime", "nouuid", "inode64", "discard"));
    assertThat(s.storage().defaults()).containsExactly(lvm);
    assertThat(s.storageFor("s1")).containsExactly(lvm);
    assertThat(s.storageFor("s3")).containsExactly(
        new XfsDevice("/dev/vdb", false, "/bricks/arb", false, MkfsOptions.DEFAULTS, DEFAULT_MOUNT),
        new XfsDevice("/dev/vdc", false, "/bricks/ec", true, MkfsOptions.DEFAULTS, List.of("rw", "noatime")));

    VolumeSpec arb = s.volumes().get(0);
    assertThat(arb.type()).isEqualTo(VolumeType.ARBITER);
    assertThat(List.of(arb.replica(), arb.arbiter(), arb.setSize())).containsExactly(3, 1, 3);
    Map<String, String> options = new LinkedHashMap<>();
    options.put("nfs.disable", "on"); // stays "on", not YAML 1.1's boolean true
    options.put("performance.cache-size", "256MB");
    options.put("cluster.self-heal-daemon", "enable");
    assertThat(arb.options()).containsExactlyEntriesOf(options);
    VolumeSpec ec = s.volumes().get(1);
    assertThat(List.of(ec.disperse(), ec.redundancy(), ec.setSize())).containsExactly(3, 1, 3);
    assertThat(ec.sets()).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5));
    assertThat(s.nodeForBrickHost(ec.bricks().get(0).host()).map(NodeSpec::name)).contains("s1");
  }

  @Test
  void canonicalTextParsesBackToTheSameSpecAndHash() throws Exception {
    for (Path p : List.of(EXAMPLES.resolve("recipe.yaml"), EXAMPLES.resolve("lab.yaml"),
        resource("specs/valid/full.yaml"), resource("specs/valid/nfs.yaml"), resource("specs/valid/snapshots.yaml"))) {
      ClusterSpec s = SpecParser.parse(p);
      ClusterSpec again = SpecParser.parse(s.canonicalText(), "canonical of " + p);
      assertThat(again).as(p.toString()).isEqualTo(s);
      assertThat(again.sha256()).isEqualTo(s.sha256()).hasSize(64);
    }
  }

  @Test
  void snapshotSchedulesAreReadWithTheirDefaults() throws Exception {
    ClusterSpec s = SpecParser.parse(resource("specs/valid/snapshots.yaml"));
    SnapshotPolicy p = s.volume("vol1").orElseThrow().snapshots().orElseThrow();
    assertThat(p.poolLimitPercent()).isEqualTo(SnapshotPolicy.DEFAULT_POOL_LIMIT);
    assertThat(p.schedules()).containsExactly(new SnapshotPolicy.Schedule("hourly", java.time.Duration.ofHours(1), 24),
        new SnapshotPolicy.Schedule("daily", java.time.Duration.ofDays(1), 7),
        new SnapshotPolicy.Schedule("quarter", java.time.Duration.ofMinutes(15), 4));
    assertThat(s.canonicalText()).contains("every: 1d").contains("every: 15m");
    // a spec without schedules hashes as before the field existed
    assertThat(SpecParser.parse(EXAMPLES.resolve("recipe.yaml")).canonicalText()).doesNotContain("snapshots");
  }

  @Test
  void hashIgnoresFormattingButNotMeaning() throws Exception {
    String text = Files.readString(EXAMPLES.resolve("recipe.yaml"), StandardCharsets.UTF_8);
    String sha = SpecParser.parse(text, "recipe").sha256();

    String reformatted = text.replace("virtualSize: 1G", "virtualSize: 1024M")
        .replace("# as in the recipe; Brickyard warns about split-brain", "")
        .replace("  - name: gluster2\n", "  - {name: gluster2, address: \"gluster2:7443\"}\n");
    assertThat(SpecParser.parse(reformatted, "reformatted").sha256()).isEqualTo(sha);

    String changed = text.replace("10.130.0.0/16", "10.131.0.0/16");
    assertThat(SpecParser.parse(changed, "changed").sha256()).isNotEqualTo(sha);
  }

  @Test
  void nfsSpecMapsEveryField() throws Exception {
    SpecParser.Result r = analyze(resource("specs/valid/nfs.yaml"));

    assertThat(r.issues()).isEmpty();
    NfsSpec nfs = r.spec().orElseThrow().nfs().orElseThrow();
    assertThat(nfs).isEqualTo(new NfsSpec(List.of("gluster1", "gluster2"), 120, 30, List.of(1, 2),
        new NfsSpec.Recovery("nfs_state", Path.of("/srv/nfs-state/brick"), Path.of("/srv/nfs-state/mnt")),
        List.of(
            new ExportSpec("vol1", "/exports/data.v1", Access.RO, Squash.ALL_SQUASH, List.of(
                new Client(List.of(new Cidr("10.77.0.0", 25), new Cidr("10.77.0.200", 32), new Cidr("fd00::", 64)),
                    Access.RO), // the export's access, not rw
                new Client(List.of(new Cidr("192.168.7.0", 24)), Access.RO)), List.of(4)),
            new ExportSpec("vol1", "/vol1", Access.RW, Squash.NO_ROOT_SQUASH,
                List.of(new Client(List.of(new Cidr("10.77.0.128", 25)), Access.RO)), List.of(4))),
        List.of(new VipSpec(new Cidr("10.77.0.201", 24), "gluster1", Optional.of("eth0")),
            new VipSpec(new Cidr("10.77.0.202", 24), "gluster2", Optional.empty()))));
    assertThat(nfs.serves("gluster3")).isFalse();
    assertThat(nfs.nfsv3()).isFalse();
    assertThat(nfs.export("/vol1").map(ExportSpec::squash)).contains(Squash.NO_ROOT_SQUASH);
  }

  @Test
  void emptyNfsSectionIsEveryDefault() throws Exception {
    SpecParser.Result r = SpecParser.analyze(NFS_BASE + "nfs: {}\n", "inline");

    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).containsExactly(
        Issue.warning("nfs.exports", "no exports: ganesha runs on the NFS nodes but serves nothing"),
        Issue.warning("nfs.vips", "no virtual IPs: clients would mount node addresses, with no failover"));
    assertThat(r.spec().orElseThrow().nfs()).contains(new NfsSpec(List.of("gluster1", "gluster2"), 90, 60,
        List.of(0, 1, 2), new NfsSpec.Recovery("brickyard-nfs-state", Path.of("/var/lib/brickyard/nfs-state-brick"),
            Path.of("/var/lib/brickyard/nfs-state")), List.of(), List.of()));
    // absent is no NFS service at all, and an empty value is absent
    assertThat(SpecParser.parse(NFS_BASE, "no nfs").nfs()).isEmpty();
    assertThat(SpecParser.parse(NFS_BASE + "nfs:\n", "empty nfs").nfs()).isEmpty();
  }

  @Test
  void exportDefaultsAreSpelledOutInTheCanonicalForm() throws Exception {
    String terse = NFS_BASE + "nfs:\n  exports: [{volume: vol1, clients: [{cidrs: [10.77.0.0/24]}]}]\n"
        + "  vips: [{address: 10.77.0.201/24, home: gluster1}, {address: 10.77.0.202/24, home: gluster2}]\n";
    ClusterSpec s = SpecParser.parse(terse, "terse");

    assertThat(s.nfs().orElseThrow().exports()).containsExactly(new ExportSpec("vol1", "/vol1", Access.RW,
        Squash.ROOT_SQUASH, List.of(new Client(List.of(new Cidr("10.77.0.0", 24)), Access.RW)), List.of(4)));
    assertThat(s.canonicalText()).contains("""
        nfs:
          nodes:
          - gluster1
          - gluster2
          gracePeriod: 90
          leaseLifetime: 60
          minorVersions:
          - 0
          - 1
          - 2
          recovery:
            volume: brickyard-nfs-state
            brickDirectory: /var/lib/brickyard/nfs-state-brick
            mountPoint: /var/lib/brickyard/nfs-state
          exports:
          - volume: vol1
            pseudo: /vol1
            access: rw
            squash: root_squash
            protocols:
            - 4
            clients:
            - cidrs:
              - 10.77.0.0/24
              access: rw
          vips:
          - address: 10.77.0.201/24
            home: gluster1
          - address: 10.77.0.202/24
            home: gluster2
        """);
  }

  @Test
  void nfsHashIgnoresSpellingButNotMeaning() throws Exception {
    String vips = "  vips: [{address: 10.77.0.201/24, home: gluster1}, {address: 10.77.0.202/24, home: gluster2}]\n";
    String terse = NFS_BASE + "nfs:\n  exports: [{volume: vol1, clients: [{cidrs: [10.77.0.5]}]}]\n" + vips;
    String sha = SpecParser.parse(terse, "terse").sha256();

    String spelled = NFS_BASE + """
        nfs:   # every default written out, sets in another order
          nodes: [gluster2, gluster1]
          gracePeriod: 90
          leaseLifetime: "60"
          minorVersions: [2, 0, 1]
          recovery: {mountPoint: /var/lib/brickyard/nfs-state, volume: brickyard-nfs-state}
          exports:
            - pseudo: /vol1
              volume: vol1
              access: rw
              squash: root_squash
              protocols: [4]
              clients: [{cidrs: [10.77.0.5/32], access: rw}]
        """ + vips;
    assertThat(SpecParser.parse(spelled, "spelled").sha256()).isEqualTo(sha);
    assertThat(SpecParser.parse(terse.replace("nfs:\n", "nfs:\n  gracePeriod: 91\n"), "grace").sha256())
        .isNotEqualTo(sha);
    assertThat(SpecParser.parse(terse.replace("volume: vol1,", "volume: vol1, squash: all_squash,"), "squash")
        .sha256()).isNotEqualTo(sha);
    assertThat(SpecParser.parse(terse.replace("home: gluster2", "home: gluster1"), "home").sha256())
        .isNotEqualTo(sha);
    // a spec without nfs hashes as it did before the section existed: no empty nfs key in its canonical text
    assertThat(SpecParser.parse(NFS_BASE, "no nfs").canonicalText()).doesNotContain("nfs");
  }

  @Test
  void parseThrowsWithEveryIssueIncludingWarnings() {
    String yaml = "apiVersion: brickyard/v1\nkind: Cluster\nmetadata: {name: Bad}\nnodes: [{name: n1}]\n"
        + "firewall: {trustedSources: [10.0.0.0/8, 10.0.0.0/8]}\n";
    assertThatThrownBy(() -> SpecParser.parse(yaml, "inline.yaml"))
        .isInstanceOfSatisfying(SpecException.class, e -> {
          assertThat(e.sourceName()).isEqualTo("inline.yaml");
          assertThat(e.errors()).extracting(Issue::path).containsExactly("metadata.name");
          assertThat(e.issues()).extracting(Issue::toString).containsExactly(
              "error: metadata.name: 'Bad' is not a DNS label: use lowercase letters, digits and '-',"
                  + " at most 63 characters, starting and ending with a letter or digit",
              "warning: firewall.trustedSources[1]: duplicate trusted source 10.0.0.0/8");
          assertThat(e.getMessage()).startsWith("inline.yaml: 1 error(s) in cluster spec:\n  error: metadata.name");
        });
  }

  /** Two nodes with IP agent addresses, one distribute volume; the nfs tests append their section. */
  private static final String NFS_BASE = """
      apiVersion: brickyard/v1
      kind: Cluster
      metadata: {name: t}
      nodes:
        - {name: gluster1, address: 10.77.0.11}
        - {name: gluster2, address: 10.77.0.12}
      storage:
        defaults: [{device: /dev/sdb, mountPoint: /gluster/vol1/brick1}]
      volumes:
        - name: vol1
          type: distribute
          bricks: [gluster1:/gluster/vol1/brick1/brick, gluster2:/gluster/vol1/brick1/brick]
      """;

  private static SpecParser.Result analyze(Path p) throws Exception {
    return SpecParser.analyze(Files.readString(p, StandardCharsets.UTF_8), p.toString());
  }

  private static Path resource(String name) throws Exception {
    return Path.of(ValidSpecsTest.class.getClassLoader().getResource(name).toURI());
  }
}
