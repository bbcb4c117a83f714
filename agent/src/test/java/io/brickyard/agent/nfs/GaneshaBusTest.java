package io.brickyard.agent.nfs;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.GaneshaHealth;
import io.brickyard.api.agent.v1.GraceEvent;
import io.brickyard.api.agent.v1.GraceRequest;
import io.brickyard.api.agent.v1.GraceResult;
import io.brickyard.api.agent.v1.LiveExport;
import io.brickyard.api.agent.v1.RequestOptions;
import org.junit.jupiter.api.Test;

/** Grace and health over ganesha's admin D-Bus object, on replies captured from ganesha 4.3. */
class GaneshaBusTest {
  static final String A = ExportOpsTest.CALL + "/org/ganesha/nfsd/admin org.ganesha.nfsd.admin ";
  static final String GET_GRACE = A + "get_grace";

  @Test
  void getGraceReplyIsInGraceThenStatus() {
    assertThat(GaneshaBus.parseGetGrace(fixture("ganesha/get_grace.json")).inGrace()).isFalse();
    assertThat(GaneshaBus.parseGetGrace(fixture("ganesha/get_grace-ingrace.json")).inGrace()).isTrue();
    assertThatThrownBy(() -> GaneshaBus.parseGetGrace(fixture("ganesha/grace.json")))
        .hasMessageContaining("expected a reply of D-Bus type 'bbs'");
  }

  @Test
  void takeAddressSendsEvent5AndReadsGraceBack() {
    ScriptedRunner r = new ScriptedRunner().ok(GET_GRACE, fixture("ganesha/get_grace.json"))
        .ok(A + "grace s 5:10.231.8.1", fixture("ganesha/grace.json"));
    r.ok(GET_GRACE, fixture("ganesha/get_grace-ingrace.json"));
    GraceResult res = new GraceOps().grace(new Operation(r, false), GraceRequest.newBuilder()
        .setEvent(GraceEvent.GRACE_EVENT_TAKE_ADDRESS).setAddress("10.231.8.1").build());
    assertThat(r.ranJoined()).containsExactly(GET_GRACE, A + "grace s 5:10.231.8.1", GET_GRACE);
    assertThat(res.getInGrace()).isTrue();
    assertThat(res.getResult().getChanged()).isTrue();
    assertThat(res.getResult().getSummary()).isEqualTo("grace event 5:10.231.8.1 (take address 10.231.8.1) sent; ganesha in grace");
  }

  @Test
  void releaseIsEvent2AndADryRunSendsNothing() {
    ScriptedRunner r = new ScriptedRunner().ok(GET_GRACE, fixture("ganesha/get_grace.json"));
    GraceResult res = new GraceOps().grace(new Operation(r, true), GraceRequest.newBuilder()
        .setOptions(RequestOptions.newBuilder().setDryRun(true))
        .setEvent(GraceEvent.GRACE_EVENT_RELEASE_ADDRESS).setAddress("fd00::7").build());
    assertThat(r.ranJoined()).containsExactly(GET_GRACE);
    assertThat(res.getResult().getCommands(0).getArgvList()).endsWith("grace", "s", "2:fd00::7");
    assertThat(res.getResult().getCommands(0).getPlannedOnly()).isTrue();
  }

  @Test
  void graceNeedsARunningGanesha() {
    ScriptedRunner r = new ScriptedRunner().on(GET_GRACE, 1, "", fixture("ganesha/get_grace-no-ganesha.stderr"));
    assertThatThrownBy(() -> new GraceOps().grace(new Operation(r, false), GraceRequest.newBuilder()
        .setEvent(GraceEvent.GRACE_EVENT_TAKE_ADDRESS).setAddress("10.231.8.1").build()))
        .isInstanceOf(RefusedException.class).hasMessage("cannot send a grace event: ganesha is not on the system bus (not running)");
    assertThatThrownBy(() -> new GraceOps().grace(new Operation(r, false), GraceRequest.newBuilder()
        .setAddress("10.231.8.1").build())).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event: ");
  }

  @Test
  void healthUpInGraceWithExportsOrDownWithTheReason() {
    ScriptedRunner up = new ScriptedRunner().ok(GET_GRACE, fixture("ganesha/get_grace-ingrace.json"))
        .ok(ExportOpsTest.SHOW, fixture("ganesha/ShowExports-65535.json"));
    assertThat(GaneshaHealthRead.read(new Operation(up, true))).isEqualTo(GaneshaHealth.newBuilder().setUp(true)
        .setInGrace(true).addExports(LiveExport.newBuilder().setExportId(2).setPseudoPath("/vol1"))
        .addExports(LiveExport.newBuilder().setExportId(65535).setPseudoPath("/projects/team-a.data")).build());

    ScriptedRunner down = new ScriptedRunner().on(GET_GRACE, 1, "", fixture("ganesha/get_grace-no-ganesha.stderr"));
    assertThat(GaneshaHealthRead.read(new Operation(down, true))).isEqualTo(GaneshaHealth.newBuilder().setUp(false)
        .setDetail("ganesha is not on the system bus (not running)").build());
    assertThat(down.ranJoined()).containsExactly(GET_GRACE);
  }

  @Test
  void healthNeverThrowsForWhatGaneshaAnswers() {
    ScriptedRunner showFails = new ScriptedRunner().ok(GET_GRACE, fixture("ganesha/get_grace.json"))
        .on(ExportOpsTest.SHOW, 1, "", fixture("ganesha/RemoveExport-not-found.stderr"));
    assertThat(GaneshaHealthRead.read(new Operation(showFails, true))).isEqualTo(GaneshaHealth.newBuilder().setUp(true)
        .setDetail("ShowExports failed: Call failed: lookup_export failed with Export id not found").build());

    ScriptedRunner garbled = new ScriptedRunner().ok(GET_GRACE, fixture("ganesha/grace.json"));
    assertThat(GaneshaHealthRead.read(new Operation(garbled, true)).getDetail())
        .startsWith("unreadable get_grace reply: busctl: expected a reply of D-Bus type 'bbs'");
  }
}
