package io.brickyard.agent.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.AgentContext;
import io.brickyard.agent.facts.FactsServiceImpl;
import io.brickyard.agent.firewall.FirewallServiceImpl;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.service.LabServiceBackend;
import io.brickyard.agent.testlab.RecordingRunner;
import io.brickyard.agent.testlab.TwoHostLab;
import io.brickyard.api.agent.v1.ConfiguredExport;
import io.brickyard.api.agent.v1.EnsureAllowedRequest;
import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.ExportAccess;
import io.brickyard.api.agent.v1.ExportClient;
import io.brickyard.api.agent.v1.ExportSquash;
import io.brickyard.api.agent.v1.GaneshaConfigResult;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.agent.v1.GetFactsRequest;
import io.brickyard.api.agent.v1.NodeFacts;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.GraceResult;
import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.api.agent.v1.NfsStatus;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveExportRequest;
import io.brickyard.common.exec.Command;
import io.brickyard.common.exec.CommandResult;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * The NFS capability against a real nfs-ganesha 4.3 with FSAL GLUSTER on a lab host
 * ({@link TwoHostLab}: h1 serves a single-brick gluster volume, h2 is the NFS client with
 * libnfs's nfs-cp/nfs-cat/nfs-ls, NFSv4.0). Ganesha is started through the lab service backend
 * (the same code as the lab agent's, entering h1 with nsenter) and changed only through
 * {@link NfsServiceImpl}'s operations; ganesha's pid is checked to stay the same across export
 * changes. The steps build on each other, in order.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NfsGaneshaLabTest {
  private static final String VOLUME = "nfsvol";
  private TwoHostLab lab;
  private TwoHostLab.Host h1;
  private TwoHostLab.Host h2;
  private LabServiceBackend services;
  private GaneshaFiles files;
  private NfsServiceImpl nfs;
  private ExportOps exports;
  private GaneshaConfigOps config;
  private long ganeshaPid;

  @BeforeAll
  void up() throws Exception {
    lab = new TwoHostLab();
    lab.start();
    h1 = lab.host(0);
    h2 = lab.host(1);
    // NFS from the lab subnet through h1's real firewalld
    new FirewallServiceImpl(h1.runner(), h1.dir().resolve("nfs-test-firewall-rules.json")).ensureAllowed(EnsureAllowedRequest.newBuilder()
        .addSourceCidrs(TwoHostLab.SUBNET).addServices("nfs").build());
    String brick = h1.brickRoot().resolve(VOLUME).toString();
    h1.runner().runChecked(Command.of("mkdir", "-p", brick));
    h1.runner().runChecked(Command.of("gluster", "--mode=script", "volume", "create", VOLUME, h1.ip() + ":" + brick,
        "force").withTimeout(Duration.ofSeconds(60)));
    h1.runner().runChecked(Command.of("gluster", "--mode=script", "volume", "start", VOLUME)
        .withTimeout(Duration.ofSeconds(60)));
    services = new LabServiceBackend(h1.runner(), TwoHostLab.labUnitsDir(h1), h1.dir().resolve("lab-enabled"),
        h1.dir().resolve("varlog/brickyard"), h1.runner()::wrap);
    services.ensure(new Operation(h1.runner(), false), "rpcbind", true, false, false);
    // h1.dir()/ganesha is h1's /etc/ganesha, and the same path inside h1: ganesha and this test
    // see the files under one name (the %dir line and AddExport's file argument)
    files = GaneshaFiles.under(h1.dir().resolve("ganesha"));
    nfs = new NfsServiceImpl(h1.runner(), services, files,
        new RecoveryStore(Path.of("/"), h1.dir().resolve("fstab"), h1.dir().resolve("fstab.bak")));
    exports = new ExportOps(files);
    config = new GaneshaConfigOps(files, services);
  }

  @AfterAll
  void down() {
    if (lab != null) {
      lab.close();
    }
  }

  private Operation op() {
    return new Operation(h1.runner(), false);
  }

  private static EnsureGaneshaConfigRequest mainConfig() {
    return EnsureGaneshaConfigRequest.newBuilder().setGracePeriodSeconds(20).setLeaseLifetimeSeconds(15)
        .setEnsureRunning(true).build();
  }

  /**
   * Without root squash: libnfs acts as uid 0, the volume's root is root's 0755 and nfs-cp creates
   * files only its owner may read.
   */
  private static EnsureExportRequest export(int id, String pseudo, ExportAccess access) {
    return EnsureExportRequest.newBuilder().setExportId(id).setVolume(VOLUME).setPseudoPath(pseudo)
        .setSquash(ExportSquash.EXPORT_SQUASH_NONE)
        .addClients(ExportClient.newBuilder().addCidrs(TwoHostLab.SUBNET).setAccess(access)).build();
  }

  /** libnfs from the client host (its own network and mount namespace). */
  private CommandResult client(String... argv) {
    return h2.runner().run(Command.of(argv).withTimeout(Duration.ofSeconds(30)));
  }

  private String url(String path) {
    return "nfs://" + h1.ip() + path + "?version=4";
  }

  private long pid() {
    return services.status("nfs-ganesha").getMainPid();
  }

  @Test
  @Order(1)
  void mainConfigWrittenAndGaneshaStartedThenNothingToDo() throws Exception {
    assertThat(services.status("nfs-ganesha").getActive()).isFalse();
    GaneshaConfigResult dry = config.ensure(new Operation(h1.runner(), true), mainConfig());
    assertThat(dry.getResult().getChanged()).isTrue();
    assertThat(files.mainConfig()).doesNotExist();

    GaneshaConfigResult first = config.ensure(op(), mainConfig());
    assertThat(first.getResult().getChanged()).isTrue();
    assertThat(first.getRestartRequired()).isFalse();
    assertThat(first.getResult().getCommandsList()).extracting(c -> c.getArgv(0))
        .containsExactly("brickyard:mkdir", "brickyard:write-file", "brickyard:lab-start");
    assertThat(Files.readString(files.mainConfig())).contains("Grace_Period = 20;", "Lease_Lifetime = 15;",
        "%dir \"" + files.exportDir() + "/export-*.conf\"");
    ganeshaPid = pid();
    assertThat(ganeshaPid).isPositive();
    assertThat(nfs.status(new Operation(h1.runner(), true)).getHealth().getUp()).isTrue();

    GaneshaConfigResult again = config.ensure(op(), mainConfig());
    assertThat(again.getResult().getChanged()).isFalse();
    assertThat(again.getRestartRequired()).isFalse();
    assertThat(pid()).isEqualTo(ganeshaPid);
  }

  @Test
  @Order(2)
  void exportAddedOverDbusServesAFileToTheClient() throws Exception {
    assertThat(client("nfs-ls", url("/vol1")).ok()).isFalse();
    RecordingRunner rec = new RecordingRunner(h1.runner());
    OperationResult added = exports.ensure(new Operation(rec, false), export(2, "/vol1", ExportAccess.EXPORT_ACCESS_RW));
    assertThat(added.getChanged()).isTrue();
    // the method name follows "call DEST PATH IFACE"
    assertThat(rec.calls()).extracting(c -> c.command().argv().get(c.command().argv().indexOf("call") + 4))
        .containsExactly("ShowExports", "AddExport");
    assertThat(pid()).isEqualTo(ganeshaPid);

    Path local = h2.dir().resolve("hello.txt");
    Files.writeString(local, "hello from brickyard\n");
    CommandResult cp = client("nfs-cp", local.toString(), url("/vol1/hello.txt"));
    assertThat(cp.ok()).as(cp.stderr()).isTrue();
    CommandResult cat = client("nfs-cat", url("/vol1/hello.txt"));
    assertThat(cat.ok()).as(cat.stderr()).isTrue();
    assertThat(cat.stdout()).isEqualTo("hello from brickyard\n");
    // it went through gluster: the file is on the brick
    // the brick is mounted inside h1 only
    assertThat(h1.runner().runChecked(Command.of("cat", h1.brickRoot().resolve(VOLUME).resolve("hello.txt").toString()))
        .stdout()).isEqualTo("hello from brickyard\n");
    assertThat(client("nfs-ls", url("/vol1")).stdout()).contains("hello.txt");

    assertThat(exports.ensure(op(), export(2, "/vol1", ExportAccess.EXPORT_ACCESS_RW)).getChanged()).isFalse();
    assertThatThrownBy(() -> exports.ensure(op(), export(4, "/vol1", ExportAccess.EXPORT_ACCESS_RW)))
        .isInstanceOf(RefusedException.class).hasMessageContaining("Export_Id 2");
  }

  @Test
  @Order(3)
  void secondExportReadOnlyAddedAndRemovedWithoutRestart() {
    OperationResult added = exports.ensure(op(), export(3, "/vol1-ro", ExportAccess.EXPORT_ACCESS_RO));
    assertThat(added.getChanged()).isTrue();
    assertThat(nfs.status(new Operation(h1.runner(), true)).getHealth().getExportsList()).containsExactlyInAnyOrder(
        LiveExport.newBuilder().setExportId(2).setPseudoPath("/vol1").build(),
        LiveExport.newBuilder().setExportId(3).setPseudoPath("/vol1-ro").build());
    // the files on disk say the same, with the volume each one serves
    assertThat(nfs.status(new Operation(h1.runner(), true)).getConfiguredExportsList()).containsExactly(
        ConfiguredExport.newBuilder().setExportId(2).setPseudoPath("/vol1").setVolume(VOLUME).build(),
        ConfiguredExport.newBuilder().setExportId(3).setPseudoPath("/vol1-ro").setVolume(VOLUME).build());
    CommandResult cat = client("nfs-cat", url("/vol1-ro/hello.txt"));
    assertThat(cat.ok()).as(cat.stderr()).isTrue();
    assertThat(cat.stdout()).isEqualTo("hello from brickyard\n");
    CommandResult write = client("nfs-cp", h2.dir().resolve("hello.txt").toString(), url("/vol1-ro/other.txt"));
    assertThat(write.ok()).as("write to a read-only export").isFalse();

    OperationResult removed = exports.remove(op(), RemoveExportRequest.newBuilder().setExportId(3)
        .setPseudoPath("/vol1-ro").build());
    assertThat(removed.getChanged()).isTrue();
    assertThat(files.exportFile(3)).doesNotExist();
    assertThat(nfs.status(new Operation(h1.runner(), true)).getHealth().getExportsList())
        .extracting(LiveExport::getExportId).containsExactly(2);
    assertThat(client("nfs-ls", url("/vol1-ro")).ok()).isFalse();
    assertThat(exports.remove(op(), RemoveExportRequest.newBuilder().setExportId(3).build()).getChanged()).isFalse();
    assertThat(pid()).isEqualTo(ganeshaPid);
  }

  @Test
  @Order(4)
  void coreChangeReportsRestartRequiredUntilRestarted() {
    EnsureGaneshaConfigRequest longerLease = mainConfig().toBuilder().setLeaseLifetimeSeconds(20).build();
    GaneshaConfigResult changed = config.ensure(op(), longerLease);
    assertThat(changed.getResult().getChanged()).isTrue();
    assertThat(changed.getRestartRequired()).isTrue();
    assertThat(pid()).isEqualTo(ganeshaPid);
    // still reported on the next call, which changes nothing: read from the process and the file
    GaneshaConfigResult still = config.ensure(op(), longerLease);
    assertThat(still.getResult().getChanged()).isFalse();
    assertThat(still.getRestartRequired()).isTrue();
    assertThat(nfs.status(new Operation(h1.runner(), true)).getRestartRequired()).isTrue();

    GaneshaConfigResult restarted = config.ensure(op(), longerLease.toBuilder().setRestartIfRequired(true).build());
    assertThat(restarted.getRestartRequired()).isFalse();
    assertThat(restarted.getResult().getCommandsList()).extracting(c -> c.getArgv(0))
        .containsExactly("brickyard:lab-stop", "brickyard:lab-start");
    assertThat(pid()).isNotEqualTo(ganeshaPid).isPositive();
    ganeshaPid = pid();
    NfsStatus after = nfs.status(new Operation(h1.runner(), true));
    assertThat(after.getRestartRequired()).isFalse();
    // the export file was loaded again at start
    assertThat(after.getHealth().getExportsList()).extracting(LiveExport::getExportId).containsExactly(2);
  }

  @Test
  @Order(5)
  void takeAddressStartsGrace() {
    TwoHostLab.await("ganesha out of its start-up grace", () -> !nfs.status(new Operation(h1.runner(), true))
        .getHealth().getInGrace());
    GraceResult took = new GraceOps().grace(op(), GraceRequest.newBuilder()
        .setEvent(GraceEvent.GRACE_EVENT_TAKE_ADDRESS).setAddress("10.231.8.77").build());
    assertThat(took.getInGrace()).isTrue();
    assertThat(took.getResult().getCommandsList()).singleElement()
        .satisfies(c -> assertThat(c.getArgvList()).endsWith("grace", "s", "5:10.231.8.77"));
    assertThat(nfs.status(new Operation(h1.runner(), true)).getHealth().getInGrace()).isTrue();
    // and in the node's facts, as GetFacts answers them
    AgentContext ctx = new AgentContext(h1.runner(), services, AgentContext.Paths.system(), new SimpleMeterRegistry());
    List<NodeFacts> facts = new ArrayList<>();
    new FactsServiceImpl(ctx).getFacts(GetFactsRequest.getDefaultInstance(), new StreamObserver<>() {
      @Override
      public void onNext(NodeFacts f) {
        facts.add(f);
      }

      @Override
      public void onError(Throwable t) {
        throw new AssertionError(t);
      }

      @Override
      public void onCompleted() {}
    });
    assertThat(facts).singleElement().satisfies(f -> assertThat(f.getGanesha()).isEqualTo(GaneshaHealth.newBuilder()
        .setUp(true).setInGrace(true).addExports(LiveExport.newBuilder().setExportId(2).setPseudoPath("/vol1")).build()));
    // a client's new open waits for the grace period to end
    CommandResult during = client("nfs-cp", h2.dir().resolve("hello.txt").toString(), url("/vol1/during-grace.txt"));
    assertThat(during.ok()).isFalse();
    assertThat(during.stderr() + during.stdout()).contains("NFS4ERR_GRACE");
    assertThat(pid()).isEqualTo(ganeshaPid);
  }
}
