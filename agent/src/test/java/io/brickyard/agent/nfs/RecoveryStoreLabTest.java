package io.brickyard.agent.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.firewall.FirewallServiceImpl;
import io.brickyard.agent.gluster.GlusterServiceImpl;
import io.brickyard.agent.service.LabServiceBackend;
import io.brickyard.agent.storage.MountTable;
import io.brickyard.agent.testlab.TwoHostLab;
import io.brickyard.api.agent.v1.CommandRecord;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureRecoveryStoreRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterServiceGrpc;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.NfsServiceGrpc;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RequestOptions;
import io.brickyard.api.agent.v1.SetVolumeOptionsRequest;
import io.brickyard.api.agent.v1.TakeoverLink;
import io.brickyard.common.exec.Command;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * EnsureRecoveryStore against real glusterfs 10.3 on two lab hosts ({@link TwoHostLab}): a
 * replica 2 recovery volume with a brick on each host, FUSE-mounted on both through the real
 * NfsService (in-process gRPC), each host's own fstab file, directories and takeover links on the
 * shared volume. The agent's file steps reach the FUSE mount, which exists only in the lab host's
 * mount namespace, through {@code /proc/<glusterd pid>/root}. The steps build on each other, in
 * order.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryStoreLabTest {
  private static final String VOLUME = "brickyard-nfs-state";
  private TwoHostLab lab;
  private TwoHostLab.Host h1;
  private TwoHostLab.Host h2;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private NfsServiceGrpc.NfsServiceBlockingStub nfs1;
  private NfsServiceGrpc.NfsServiceBlockingStub nfs2;
  private GlusterServiceGrpc.GlusterServiceBlockingStub gluster1;

  @BeforeAll
  void up() throws Exception {
    lab = new TwoHostLab();
    lab.start();
    h1 = lab.host(0);
    h2 = lab.host(1);
    for (TwoHostLab.Host h : lab.hosts()) {
      new FirewallServiceImpl(h.runner(), h.dir().resolve("firewall-rules.json")).ensureAllowed(
          EnsureAllowedRequest.newBuilder().addSourceCidrs(TwoHostLab.SUBNET).addServices("glusterfs").build());
      Files.writeString(h.dir().resolve("fstab"), "# lab host fstab\n");
    }
    h1.runner().runChecked(Command.of("gluster", "--mode=script", "peer", "probe", h2.ip()));
    TwoHostLab.await("h2 in h1's pool", () -> h1.runner().run(Command.of("gluster", "--mode=script", "pool", "list"))
        .stdout().contains("Connected") && h1.runner().run(Command.of("gluster", "--mode=script", "pool", "list"))
        .stdout().lines().filter(l -> l.contains("Connected")).count() == 2);
    List<String> create = new ArrayList<>(List.of("gluster", "--mode=script", "volume", "create", VOLUME,
        "replica", "2"));
    for (TwoHostLab.Host h : lab.hosts()) {
      String brick = h.brickRoot().resolve("nfs-state").toString();
      h.runner().runChecked(Command.of("mkdir", "-p", brick));
      create.add(h.ip() + ":" + brick);
    }
    create.add("force");
    h1.runner().runChecked(new Command(create, Duration.ofSeconds(60), null, java.util.Map.of()));
    h1.runner().runChecked(Command.of("gluster", "--mode=script", "volume", "start", VOLUME)
        .withTimeout(Duration.ofSeconds(60)));
    nfs1 = serve(h1);
    nfs2 = serve(h2);
    String name = "recovery-gluster-" + System.nanoTime();
    servers.add(InProcessServerBuilder.forName(name).directExecutor()
        .addService(new GlusterServiceImpl(h1.runner(), Duration.ofMillis(500))).build().start());
    ManagedChannel c = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(c);
    gluster1 = GlusterServiceGrpc.newBlockingStub(c);
  }

  /** The NfsService of one lab host; its file steps go through the host's mount namespace. */
  private NfsServiceGrpc.NfsServiceBlockingStub serve(TwoHostLab.Host h) throws Exception {
    long pid = Long.parseLong(Files.readString(TwoHostLab.labUnitsDir(h).resolve("glusterd.pid")).strip());
    Path root = Path.of("/proc/" + pid + "/root");
    LabServiceBackend services = new LabServiceBackend(h.runner(), TwoHostLab.labUnitsDir(h),
        h.dir().resolve("lab-enabled"), h.dir().resolve("varlog/brickyard"), h.runner()::wrap);
    GaneshaFiles files = GaneshaFiles.under(h.dir().resolve("ganesha"));
    NfsServiceImpl impl = new NfsServiceImpl(h.runner(), services, files,
        new RecoveryStore(root, h.dir().resolve("fstab"), h.dir().resolve("fstab.brickyard.bak")));
    String name = "recovery-nfs-" + h.hostname() + "-" + System.nanoTime();
    servers.add(InProcessServerBuilder.forName(name).directExecutor().addService(impl).build().start());
    ManagedChannel c = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(c);
    return NfsServiceGrpc.newBlockingStub(c);
  }

  @AfterAll
  void down() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    if (lab != null) {
      lab.close();
    }
  }

  private static String mp(TwoHostLab.Host h) {
    return h.dir().resolve("nfs-state").toString();
  }

  /** Node "h1" serves 10.231.8.1, "h2" serves .2; each links the other's address to its holder. */
  private static EnsureRecoveryStoreRequest store(TwoHostLab.Host h, String node, String otherAddress, String holder) {
    return EnsureRecoveryStoreRequest.newBuilder().setVolume(VOLUME).setMountPoint(mp(h)).setNode(node)
        .addLinks(TakeoverLink.newBuilder().setAddress(otherAddress).setHolderNode(holder)).build();
  }

  private static EnsureRecoveryStoreRequest dry(EnsureRecoveryStoreRequest r) {
    return r.toBuilder().setOptions(RequestOptions.newBuilder().setDryRun(true)).build();
  }

  /** The argv recorded, without the lab's "nsenter ... --" prefix (the runner enters the lab host). */
  private static List<String> argv(OperationResult r) {
    return r.getCommandsList().stream().map(CommandRecord::getArgvList)
        .map(a -> a.get(0).equals("nsenter") ? a.subList(a.indexOf("--") + 1, a.size()) : a)
        .map(a -> String.join(" ", a)).toList();
  }

  private static String sh(TwoHostLab.Host h, String... argv) {
    return h.runner().runChecked(Command.of(argv)).stdout();
  }

  @Test
  @Order(1)
  void dryRunPlansThenMountsLinksAndConverges() throws Exception {
    EnsureRecoveryStoreRequest req = store(h1, "h1", h2.ip(), "h2");
    OperationResult plan = nfs1.ensureRecoveryStore(dry(req));
    assertThat(plan.getChanged()).isTrue();
    assertThat(plan.getDryRun()).isTrue();
    String line = "localhost:/" + VOLUME + " " + mp(h1)
        + " glusterfs defaults,_netdev,nofail,x-systemd.requires=glusterd.service 0 0 # managed by brickyard";
    assertThat(argv(plan)).containsExactly(
        "brickyard:mkdir -p " + mp(h1),
        "mount -t glusterfs localhost:/" + VOLUME + " " + mp(h1),
        "brickyard:fstab add " + line,
        "brickyard:mkdir -p " + mp(h1) + "/nodes/h1",
        "brickyard:symlink ../h2 " + mp(h1) + "/nodes/h1/" + h2.ip());
    assertThat(plan.getCommandsList()).allMatch(CommandRecord::getPlannedOnly);
    assertThat(Files.readString(h1.dir().resolve("fstab"))).isEqualTo("# lab host fstab\n");

    OperationResult done = nfs1.ensureRecoveryStore(req);
    assertThat(done.getChanged()).isTrue();
    assertThat(argv(done)).isEqualTo(argv(plan));
    System.out.println("EnsureRecoveryStore h1: " + done.getSummary() + " mount took "
        + done.getCommands(1).getDurationMillis() + " ms (2 cores)");
    // a FUSE mount of the volume from this host's glusterd, in the host's own mount namespace
    MountTable.Mount m = MountTable.parse(sh(h1, "findmnt", "--json", "--list", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS,MAJ:MIN"))
        .at(mp(h1)).get(0);
    assertThat(m.source()).isEqualTo("localhost:/" + VOLUME);
    assertThat(m.fsType()).isEqualTo("fuse.glusterfs");
    assertThat(MountTable.parse(lab.system().run(MountTable.all()).stdout()).at(mp(h1))).as("not in the test's namespace")
        .isEmpty();
    assertThat(Files.readString(h1.dir().resolve("fstab"))).isEqualTo("# lab host fstab\n" + line + "\n");
    assertThat(sh(h1, "stat", "-c", "%F", mp(h1) + "/nodes/h1")).isEqualTo("directory\n");
    assertThat(sh(h1, "readlink", mp(h1) + "/nodes/h1/" + h2.ip())).isEqualTo("../h2\n");

    OperationResult again = nfs1.ensureRecoveryStore(req);
    assertThat(again.getChanged()).isFalse();
    assertThat(argv(again)).isEmpty();
    assertThat(nfs1.ensureRecoveryStore(dry(req)).getChanged()).isFalse();
  }

  @Test
  @Order(2)
  void theOtherHostReadsTheRecordsOfTheAddressItTakesOver() throws Exception {
    OperationResult done = nfs2.ensureRecoveryStore(store(h2, "h2", h1.ip(), "h1"));
    assertThat(done.getChanged()).isTrue();
    // ganesha on h1 writes its client records into RecoveryRoot/v4recov = <mp>/nodes/h1/v4recov
    sh(h1, "mkdir", "-p", mp(h1) + "/nodes/h1/v4recov");
    sh(h1, "touch", mp(h1) + "/nodes/h1/v4recov/client-of-h1");
    // h2 taking 10.231.8.1 (grace event 5) reads RecoveryRoot/<IP>/v4recov = <mp>/nodes/h2/10.231.8.1/v4recov
    assertThat(sh(h2, "ls", mp(h2) + "/nodes/h2/" + h1.ip() + "/v4recov")).isEqualTo("client-of-h1\n");
    assertThat(sh(h2, "ls", mp(h2) + "/nodes")).isEqualTo("h1\nh2\n");
  }

  @Test
  @Order(3)
  void eachNodeWritesItsKeepaliveOnTheSharedVolumeEverySecond() throws Exception {
    nfs2.ensureRecoveryStore(store(h2, "h2", h1.ip(), "h1"));
    // RecoveryKeepalive: h1's writes read on h2's mount, and a later one replacing it
    String first = keepalive(h2, "h1", "");
    keepalive(h2, "h1", first);
    keepalive(h1, "h2", "");
    assertThat(sh(h1, "ls", "-A", mp(h1) + "/keepalive")).isEqualTo("h1\nh2\n");
  }

  /** The keepalive {@code node} last wrote, read on {@code reader}'s mount once it differs from {@code before}. */
  private static String keepalive(TwoHostLab.Host reader, String node, String before) throws Exception {
    String[] seen = {""};
    TwoHostLab.await(node + "'s keepalive on " + reader.hostname() + " other than '" + before.strip() + "'", () -> {
      var r = reader.runner().run(Command.of("cat", mp(reader) + "/keepalive/" + node));
      seen[0] = r.ok() ? r.stdout() : "";
      return !seen[0].isEmpty() && !seen[0].equals(before);
    });
    return seen[0];
  }

  @Test
  @Order(4)
  void aLinkPointingElsewhereIsReplacedAtomically() {
    // 10.231.8.2 moved to h1 and then moved on: h1's link must now read the records h1 itself kept
    EnsureRecoveryStoreRequest req = store(h1, "h1", h2.ip(), "h1");
    OperationResult plan = nfs1.ensureRecoveryStore(dry(req));
    assertThat(argv(plan)).containsExactly("brickyard:symlink --replace ../h1 " + mp(h1) + "/nodes/h1/" + h2.ip());
    OperationResult done = nfs1.ensureRecoveryStore(req);
    assertThat(argv(done)).isEqualTo(argv(plan));
    assertThat(sh(h1, "readlink", mp(h1) + "/nodes/h1/" + h2.ip())).isEqualTo("../h1\n");
    // the same on the other node's view of the shared volume, and no temp link left behind
    assertThat(sh(h2, "readlink", mp(h2) + "/nodes/h1/" + h2.ip())).isEqualTo("../h1\n");
    assertThat(sh(h2, "ls", "-A", mp(h2) + "/nodes/h1")).isEqualTo(h2.ip() + "\nv4recov\n");
    assertThat(nfs1.ensureRecoveryStore(req).getChanged()).isFalse();
  }

  @Test
  @Order(5)
  void refusesAFileWhereALinkBelongsAndAForeignMount() {
    sh(h1, "touch", mp(h1) + "/nodes/h1/10.231.8.9");
    EnsureRecoveryStoreRequest file = store(h1, "h1", "10.231.8.9", "h2");
    assertThatThrownBy(() -> nfs1.ensureRecoveryStore(file)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(e.getStatus().getDescription()).contains("10.231.8.9 exists and is not a symlink");
    });
    String other = h1.dir().resolve("elsewhere").toString();
    sh(h1, "mkdir", "-p", other);
    sh(h1, "mount", "-t", "tmpfs", "tmpfs", other);
    EnsureRecoveryStoreRequest foreign = store(h1, "h1", h2.ip(), "h1").toBuilder().setMountPoint(other).build();
    assertThatThrownBy(() -> nfs1.ensureRecoveryStore(foreign)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getDescription()).contains("already has tmpfs (tmpfs) mounted on it"));
    assertThatThrownBy(() -> nfs1.ensureRecoveryStore(store(h1, "h1", "10.231.008.1", "h2")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("links[0].address:");
        });
  }

  /** The coordinator keeps its Export_Id registry in a user.* option of the recovery volume. */
  @Test
  @Order(6)
  void exportIdRegistryOptionIsStoredAndReadBackVerbatim() {
    OperationResult set = gluster1.setVolumeOptions(SetVolumeOptionsRequest.newBuilder().setVolume(VOLUME)
        .putValues("user.brickyard.export-ids", "1:/vol1,2:/vol2").build());
    assertThat(set.getChanged()).isTrue();
    GlusterVolume v = gluster1.getVolumes(GetVolumesRequest.getDefaultInstance()).getVolumesList().stream()
        .filter(x -> x.getName().equals(VOLUME)).findFirst().orElseThrow();
    assertThat(v.getOptionsMap()).containsEntry("user.brickyard.export-ids", "1:/vol1,2:/vol2");
    // what glusterd itself prints, unparsed
    assertThat(sh(h1, "gluster", "--mode=script", "volume", "info", VOLUME, "--xml").replaceAll("\\s+", ""))
        .contains("<name>user.brickyard.export-ids</name><value>1:/vol1,2:/vol2</value>");
    assertThat(gluster1.setVolumeOptions(SetVolumeOptionsRequest.newBuilder().setVolume(VOLUME)
        .putValues("user.brickyard.export-ids", "1:/vol1,2:/vol2").build()).getChanged()).isFalse();
  }

  /**
   * Ganesha 4.3 with the NFSv3 main file (pinned ports) and its RecoveryRoot on the shared volume:
   * it starts, registers its side protocols on the pinned ports, and creates its recovery
   * directories where the other node sees them.
   */
  @Test
  @Order(7)
  void ganeshaWithNfsv3PortsKeepsItsRecordsOnTheSharedVolume() throws Exception {
    LabServiceBackend services = new LabServiceBackend(h1.runner(), TwoHostLab.labUnitsDir(h1),
        h1.dir().resolve("lab-enabled"), h1.dir().resolve("varlog/brickyard"), h1.runner()::wrap);
    services.ensure(new io.brickyard.agent.op.Operation(h1.runner(), false), "rpcbind", true, false, false);
    io.brickyard.api.agent.v1.GaneshaConfigResult r = nfs1.ensureGaneshaConfig(
        io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest.newBuilder().setNfsv3(true)
            .setRecoveryRoot(mp(h1) + "/nodes/h1").setGracePeriodSeconds(20).setLeaseLifetimeSeconds(15)
            .setEnsureRunning(true).build());
    assertThat(r.getResult().getWarningsList()).anySatisfy(w -> assertThat(w).contains("restart rpc-statd"));
    assertThat(Files.readString(h1.dir().resolve("ganesha/nfs.conf.d/brickyard-statd.conf")))
        .contains("port = 662\n", "outgoing-port = 2020\n");
    TwoHostLab.await("ganesha's v3 programs registered with rpcbind",
        () -> h1.runner().run(Command.of("rpcinfo", "-p")).stdout().contains("nlockmgr"));
    String rpc = sh(h1, "rpcinfo", "-p");
    System.out.println("rpcinfo -p on h1 with the nfsv3 main file:\n" + rpc);
    assertThat(rpc).containsPattern("100005\\s+\\d+\\s+tcp\\s+20048\\s+mountd")
        .containsPattern("100021\\s+\\d+\\s+tcp\\s+32803\\s+nlockmgr")
        .containsPattern("100011\\s+\\d+\\s+tcp\\s+875\\s+rquotad");
    // the fs backend made RecoveryRoot's v4old on the shared volume: h2 sees it
    TwoHostLab.await("v4old on the shared volume", () -> h2.runner().run(Command.of("test", "-d",
        mp(h2) + "/nodes/h1/v4old")).ok());
    String log = h1.runner().run(Command.of("cat", "/var/log/ganesha/ganesha.log")).stdout();
    System.out.println("ganesha CONFIG log lines:\n" + String.join("\n", log.lines().filter(l -> l.contains("CONFIG"))
        .toList()));
  }
}
