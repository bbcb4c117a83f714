package io.brickyard.agent.gluster;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.EnsureVolumeRequest;
import io.brickyard.api.agent.v1.GetVolumesRequest;
import io.brickyard.api.agent.v1.GlusterVolume;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.ProbePeerRequest;
import io.brickyard.api.agent.v1.SetVolumeOptionsRequest;
import io.brickyard.api.agent.v1.StartVolumeRequest;
import io.brickyard.common.exec.CommandFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Check-then-act decisions against scripted gluster answers (real captured output). */
class GlusterServiceImplTest {
  private static final String G = "gluster --mode=script --timeout=120 -- ";
  private static final String X = "gluster --mode=script --timeout=120 --xml -- ";
  private static final String B1 = "nsvc1:/tmp/netsvc-lab/w/h1/bricks/vol1";
  private static final String B2 = "nsvc2:/tmp/netsvc-lab/w/h2/bricks/vol1";
  private final List<Duration> slept = new ArrayList<>();

  private GlusterServiceImpl svc(ScriptedRunner r) {
    return new GlusterServiceImpl(r, slept::add, Duration.ofSeconds(2));
  }

  private static ScriptedRunner pool(String poolFixture) {
    return new ScriptedRunner().ok(X + "pool list", fixture("gluster/" + poolFixture));
  }

  @Test
  void probeOfKnownPeerIsUnchangedAndNewPeerIsProbed() {
    ScriptedRunner known = pool("pool-list.two.xml");
    OperationResult res = svc(known).probePeer(ProbePeerRequest.newBuilder().setHostname("nsvc2").build());
    assertThat(res.getChanged()).isFalse();
    assertThat(known.ranJoined()).noneMatch(c -> c.contains("peer probe"));

    ScriptedRunner fresh = pool("pool-list.single.xml").ok(G + "peer probe nsvc2", "peer probe: success\n");
    assertThat(svc(fresh).probePeer(ProbePeerRequest.newBuilder().setHostname("nsvc2").build()).getChanged()).isTrue();
    // known to glusterd under another name: the command ran, but nothing changed
    ScriptedRunner alias = pool("pool-list.single.xml")
        .ok(G + "peer probe gfs2", "peer probe: Host gfs2 port 24007 already in peer list\n");
    OperationResult a = svc(alias).probePeer(ProbePeerRequest.newBuilder().setHostname("gfs2").build());
    assertThat(a.getChanged()).isFalse();
    assertThat(a.getCommandsList()).hasSize(1);
  }

  @Test
  void poolListAnsweringWithoutReasonDuringOtherProbesIsAskedAgain() {
    // real: opRet -22 and no reason while three probes from this node were in flight
    String busy = fixture("gluster/pool-list.during-probes.xml");
    ScriptedRunner r = new ScriptedRunner().ok(X + "pool list", busy).ok(X + "pool list", busy)
        .ok(X + "pool list", fixture("gluster/pool-list.two.xml"));
    OperationResult res = svc(r).probePeer(ProbePeerRequest.newBuilder().setHostname("nsvc2").build());
    assertThat(res.getChanged()).isFalse();
    assertThat(res.getSummary()).contains("already in the pool");
    assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
  }

  @Test
  void lockContentionIsRetriedWithBackoffOtherFailuresAreNot() {
    String busy = fixture("gluster/volume-set.another-transaction.txt");
    ScriptedRunner r = pool("pool-list.two.xml")
        .on(G + "peer probe nsvc3", 1, "", busy)
        .on(G + "peer probe nsvc3", 1, "", busy)
        .ok(G + "peer probe nsvc3", "peer probe: success\n");
    OperationResult res = svc(r).probePeer(ProbePeerRequest.newBuilder().setHostname("nsvc3").build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).extracting(c -> c.getExitCode()).containsExactly(1, 1, 0);
    assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));

    slept.clear();
    ScriptedRunner down = pool("pool-list.two.xml")
        .on(G + "peer probe nsvc3", 1, "", "peer probe: failed: Probe returned with Transport endpoint is not connected\n");
    assertThatThrownBy(() -> svc(down).probePeer(ProbePeerRequest.newBuilder().setHostname("nsvc3").build()))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("Transport endpoint");
    assertThat(slept).isEmpty();

    ScriptedRunner always = pool("pool-list.two.xml").on(G + "peer probe nsvc3", 1, "", busy);
    assertThatThrownBy(() -> svc(always).probePeer(ProbePeerRequest.newBuilder().setHostname("nsvc3").build()))
        .isInstanceOf(CommandFailedException.class);
    assertThat(always.ranJoined()).filteredOn(c -> c.contains("peer probe")).hasSize(GlusterCli.ATTEMPTS);
  }

  @Test
  void glusterdDownIsRefused() {
    ScriptedRunner r = new ScriptedRunner().on(X + "pool list", 1,
        "Connection failed. Please check if gluster daemon is operational.\n", "");
    assertThat(svc(r).pool(new io.brickyard.agent.op.Operation(r, true)).getGlusterdReachable()).isFalse();
    // volume steps learn it from their one read (real output of gluster 10.3 with glusterd stopped)
    ScriptedRunner v = new ScriptedRunner().on(X + "volume info all", 1,
        fixture("gluster/volume-info.glusterd-down.txt"), "");
    assertThatThrownBy(() -> svc(v).startVolume(StartVolumeRequest.newBuilder().setVolume("vol1").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("glusterd is not running");
    assertThatThrownBy(() -> svc(v).ensureVolume(EnsureVolumeRequest.newBuilder().setName("vol1").setType("replicate")
        .setReplica(2).addBricks(B1).addBricks(B2).build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("glusterd is not running");
    assertThat(v.ranJoined()).noneMatch(c -> c.contains("volume start") || c.contains("volume create"));
  }

  @Test
  void ensureVolumeExistingSameIsUnchangedDifferentIsRefused() {
    EnsureVolumeRequest req = EnsureVolumeRequest.newBuilder().setName("vol1").setType("replicate").setReplica(2)
        .addBricks(B1).addBricks(B2).build();
    ScriptedRunner same = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.started.xml"));
    assertThat(svc(same).ensureVolume(req).getChanged()).isFalse();
    assertThatThrownBy(() -> svc(same).ensureVolume(req.toBuilder().setBricks(1, "nsvc2:/other").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("different layout").hasMessageContaining("bricks are");

    ScriptedRunner none = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.none.xml"))
        .ok(G + "volume create vol1 replica 2 transport tcp " + B1 + " " + B2,
            "volume create: vol1: success: please start the volume to access data\n");
    OperationResult res = svc(none).ensureVolume(req);
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getWarningsList()).anyMatch(w -> w.contains("split-brain"));
  }

  @Test
  void startVolumeOnlyWhenNotStarted() {
    ScriptedRunner started = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.started.xml"));
    assertThat(svc(started).startVolume(StartVolumeRequest.newBuilder().setVolume("vol1").build()).getChanged()).isFalse();
    ScriptedRunner created = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.created.xml"))
        .ok(G + "volume start vol1", "volume start: vol1: success\n");
    assertThat(svc(created).startVolume(StartVolumeRequest.newBuilder().setVolume("vol1").build()).getChanged()).isTrue();
    // the check is one gluster call (each costs ~0.1 s on an apply's critical path), then the act
    assertThat(created.ranJoined()).containsExactly(X + "volume info all", G + "volume start vol1");
    assertThatThrownBy(() -> svc(created).startVolume(StartVolumeRequest.newBuilder().setVolume("nosuch").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("does not exist");
  }

  @Test
  void setsOnlyDifferingOptions() {
    ScriptedRunner r = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.started.xml"))
        .ok(X + "volume get vol1 all", fixture("gluster/volume-get-all.xml"))
        .ok(G + "volume set vol1 performance.client-io-threads on", "volume set: success\n");
    OperationResult res = svc(r).setVolumeOptions(SetVolumeOptionsRequest.newBuilder().setVolume("vol1")
        .putValues("performance.cache-size", "64MB")
        .putValues("nfs.disable", "true")
        .putValues("performance.client-io-threads", "on").build());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).singleElement()
        .satisfies(c -> assertThat(c.getArgvList()).endsWith("performance.client-io-threads", "on"));
    assertThatThrownBy(() -> svc(r).setVolumeOptions(SetVolumeOptionsRequest.newBuilder().setVolume("vol1")
        .putValues("nodot", "x").build())).hasMessageStartingWith("values:");
  }

  /**
   * gluster's CLI takes "--log-file=..." as its own option wherever it stands (root's CLI then
   * writes that file): such keys and values, unknown keys and cluster-wide keys are refused before
   * any command, also in a dry run (an empty ScriptedRunner fails on any command).
   */
  @Test
  void hostileOrUnknownOptionsAreRefusedBeforeAnyCommand() {
    ScriptedRunner none = new ScriptedRunner();
    record Case(String key, String value, String message) {}
    for (Case c : List.of(
        new Case("performance.cache-size", "--log-file=/tmp/pwned.log", "values[performance.cache-size]: option value"
            + " must not start with '-' (the gluster CLI would take it as its own option)"),
        new Case("--log-file=/tmp/pwned.log", "64MB", "values: '--log-file=/tmp/pwned.log' is not a gluster volume option"),
        new Case("performance.cache-size", "64MB\n--log-file=/tmp/pwned.log", "values[performance.cache-size]: option"
            + " value must not contain control characters or line breaks"),
        new Case("performance.cache-sise", "64MB", "values: 'performance.cache-sise' is not a gluster volume option;"
            + " did you mean performance.cache-size?"),
        new Case("cluster.server-quorum-ratio", "60", "values: 'cluster.server-quorum-ratio' is a cluster-wide option"))) {
      for (boolean dry : new boolean[] {false, true}) {
        SetVolumeOptionsRequest req = SetVolumeOptionsRequest.newBuilder().setVolume("vol1").putValues(c.key(), c.value())
            .setOptions(io.brickyard.api.agent.v1.RequestOptions.newBuilder().setDryRun(dry)).build();
        assertThatThrownBy(() -> svc(none).setVolumeOptions(req)).as(c.key() + "=" + c.value())
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(c.message());
      }
    }
    assertThat(none.ran()).isEmpty();
  }

  @Test
  void volumesWithStatusMergeBricksAndHeal() {
    ScriptedRunner r = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.many.xml"))
        .ok(X + "volume status all", fixture("gluster/volume-status.many.xml"))
        .ok(X + "volume heal vol1 info summary", fixture("gluster/volume-heal-info-summary.xml"));
    List<GlusterVolume> vols = svc(r).getVolumes(GetVolumesRequest.newBuilder().setWithStatus(true).build()).getVolumesList();
    GlusterVolume vol1 = vols.stream().filter(v -> v.getName().equals("vol1")).findFirst().orElseThrow();
    assertThat(vol1.getBricksList()).allMatch(b -> b.getOnline() && b.getPort() > 49151 && b.getHealPendingEntries() == 0);
    GlusterVolume vdr = vols.stream().filter(v -> v.getName().equals("vdr")).findFirst().orElseThrow();
    assertThat(vdr.getBricksList()).allMatch(b -> !b.getOnline() && b.getHealPendingEntries() == -1);
    // heal is asked only for started replicated/dispersed volumes
    assertThat(r.ranJoined()).filteredOn(c -> c.contains("heal")).hasSize(1);
  }

  /** The failover leader's brick poll: who is online, without a glfsheal run per replicated volume. */
  @Test
  void volumesWithStatusWithoutHealRunNoHealInfo() {
    ScriptedRunner r = pool("pool-list.two.xml").ok(X + "volume info all", fixture("gluster/volume-info.many.xml"))
        .ok(X + "volume status all", fixture("gluster/volume-status.many.xml"));
    List<GlusterVolume> vols = svc(r).getVolumes(GetVolumesRequest.newBuilder().setWithStatus(true).setWithoutHeal(true)
        .build()).getVolumesList();
    GlusterVolume vol1 = vols.stream().filter(v -> v.getName().equals("vol1")).findFirst().orElseThrow();
    assertThat(vol1.getBricksList()).allMatch(b -> b.getOnline() && b.getHealPendingEntries() == -1);
    assertThat(r.ranJoined()).noneMatch(c -> c.contains("heal"));
  }
}
