package io.brickyard.agent.nfs;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.agent.testlab.ScriptedRunner;
import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.ExportAccess;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveExportRequest;
import io.brickyard.common.exec.CommandFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EnsureExport/RemoveExport decisions against ganesha's real D-Bus answers (fixtures/ganesha):
 * the file and the live export kept equal, the Export_Id rules, busy retries, and the file put
 * back when ganesha refuses it.
 */
class ExportOpsTest {
  static final String CALL = "busctl --system --json=short --auto-start=no --timeout=30 call org.ganesha.nfsd ";
  static final String E = CALL + "/org/ganesha/nfsd/ExportMgr org.ganesha.nfsd.exportmgr ";
  static final String SHOW = E + "ShowExports";
  /** A live ganesha serving export 2 /vol1 (and the pseudo root). */
  static final String LIVE_2 = fixture("ganesha/ShowExports.json");
  /** A live ganesha serving the pseudo root only (the capture minus export 2, as ganesha prints it). */
  static final String LIVE_NONE = withoutFirstExport(LIVE_2);

  private static String withoutFirstExport(String json) {
    com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
    o.getAsJsonArray("data").get(1).getAsJsonArray().remove(0);
    return o.toString();
  }

  @TempDir
  Path dir;
  GaneshaFiles files;
  ExportOps ops;

  @BeforeEach
  void setUp() {
    files = GaneshaFiles.under(dir);
    ops = new ExportOps(files);
  }

  private static EnsureExportRequest vol1() {
    return EnsureExportRequest.newBuilder().setExportId(2).setVolume("vol1").setPseudoPath("/vol1").build();
  }

  private String add(int id) {
    return E + "AddExport ss " + files.exportFile(id) + " EXPORT(Export_Id=" + id + ")";
  }

  private static ScriptedRunner notRunning() {
    return new ScriptedRunner().on(SHOW, 1, "", fixture("ganesha/ShowExports-no-ganesha.stderr"));
  }

  @Test
  void liveExportsParsedFromShowExports() {
    assertThat(GaneshaBus.parseShowExports(LIVE_2))
        .containsExactly(new GaneshaBus.Live(2, "/vol1"), new GaneshaBus.Live(0, "/"));
    assertThat(GaneshaBus.parseShowExports(fixture("ganesha/ShowExports-65535.json")))
        .containsExactly(new GaneshaBus.Live(2, "/vol1"), new GaneshaBus.Live(65535, "/projects/team-a.data"),
            new GaneshaBus.Live(0, "/"));
    assertThat(GaneshaBus.parseShowExports(LIVE_NONE)).containsExactly(new GaneshaBus.Live(0, "/"));
  }

  @Test
  void ganeshaNotRunningOnlyTheFileIsWritten() throws IOException {
    ScriptedRunner r = notRunning();
    OperationResult res = ops.ensure(new Operation(r, false), vol1());
    assertThat(res.getChanged()).isTrue();
    assertThat(res.getCommandsList()).singleElement()
        .satisfies(c -> assertThat(c.getArgvList()).containsExactly("brickyard:write-file", files.exportFile(2).toString()));
    assertThat(Files.readString(files.exportFile(2))).isEqualTo(fixture("ganesha/export-2.conf"));
    assertThat(res.getSummary()).contains("ganesha not running");
    assertThat(ops.ensure(new Operation(r, false), vol1()).getChanged()).isFalse();
  }

  @Test
  void runningGaneshaGetsTheExportLiveThenNothingThenAnUpdate() throws IOException {
    ScriptedRunner r = new ScriptedRunner().ok(SHOW, LIVE_NONE).ok(add(2), fixture("ganesha/AddExport.json"));
    OperationResult first = ops.ensure(new Operation(r, false), vol1());
    assertThat(first.getChanged()).isTrue();
    assertThat(r.ranJoined()).containsExactly(SHOW, add(2));
    assertThat(first.getSummary()).contains("added live (AddExport)");

    ScriptedRunner again = new ScriptedRunner().ok(SHOW, LIVE_2);
    OperationResult second = ops.ensure(new Operation(again, false), vol1());
    assertThat(second.getChanged()).isFalse();
    assertThat(second.getCommandsList()).isEmpty();

    String update = E + "UpdateExport ss " + files.exportFile(2) + " EXPORT(Export_Id=2)";
    ScriptedRunner ro = new ScriptedRunner().ok(SHOW, LIVE_2).ok(update, fixture("ganesha/UpdateExport.json"));
    OperationResult third = ops.ensure(new Operation(ro, false),
        vol1().toBuilder().setAccess(ExportAccess.EXPORT_ACCESS_RO).build());
    assertThat(third.getChanged()).isTrue();
    assertThat(ro.ranJoined()).containsExactly(SHOW, update);
    assertThat(Files.readString(files.exportFile(2))).contains("Access_Type = RO;");
  }

  @Test
  void dryRunWritesAndSendsNothing() {
    ScriptedRunner r = new ScriptedRunner().ok(SHOW, LIVE_NONE);
    OperationResult dry = ops.ensure(new Operation(r, true), vol1());
    assertThat(dry.getChanged()).isTrue();
    assertThat(dry.getCommandsList()).hasSize(2).allMatch(c -> c.getPlannedOnly());
    assertThat(dry.getCommands(1).getArgvList()).contains("AddExport", "EXPORT(Export_Id=2)");
    assertThat(r.ranJoined()).containsExactly(SHOW);
    assertThat(files.exportFile(2)).doesNotExist();
  }

  @Test
  void aPseudoPathKeepsItsIdInTheFiles() {
    ops.ensure(new Operation(notRunning(), false), vol1());
    assertThatThrownBy(() -> ops.ensure(new Operation(notRunning(), false), vol1().toBuilder().setExportId(3).build()))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("pseudo path /vol1 is already exported with Export_Id 2")
        .hasMessageContaining("never changes");
    assertThat(files.exportFile(3)).doesNotExist();
  }

  @Test
  void anIdIsNeverReusedForAnotherPseudoPath() {
    ops.ensure(new Operation(notRunning(), false), vol1());
    assertThatThrownBy(() -> ops.ensure(new Operation(notRunning(), false),
        vol1().toBuilder().setPseudoPath("/other").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("Export_Id 2 is the export of /vol1");
  }

  @Test
  void twoFilesDeclaringOneIdAreRefused() throws IOException {
    Files.createDirectories(files.exportDir());
    // e.g. copied by hand under another name
    Files.writeString(files.exportDir().resolve("export-old.conf"), fixture("ganesha/export-2.conf"));
    assertThatThrownBy(() -> ops.ensure(new Operation(notRunning(), false), vol1()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("Export_Id 2 is already declared by");
  }

  @Test
  void theLiveExportsCountToo() {
    ScriptedRunner r = new ScriptedRunner().ok(SHOW, LIVE_2);
    assertThatThrownBy(() -> ops.ensure(new Operation(r, false), vol1().toBuilder().setExportId(7).build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("ganesha serves /vol1 with Export_Id 2, not 7");
    assertThatThrownBy(() -> ops.ensure(new Operation(r, false), vol1().toBuilder().setPseudoPath("/x").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("ganesha serves Export_Id 2 as /vol1, not /x");
    assertThat(files.exportFile(2)).doesNotExist();
    assertThat(files.exportFile(7)).doesNotExist();
  }

  @Test
  void busyExportManagerIsRetried() {
    String busy = "Call failed: another export admin operation is in progress, try again later\n";
    ScriptedRunner r = new ScriptedRunner().ok(SHOW, LIVE_NONE)
        .on(add(2), 1, "", busy).on(add(2), 1, "", busy).ok(add(2), fixture("ganesha/AddExport.json"));
    OperationResult res = ops.ensure(new Operation(r, false), vol1());
    assertThat(r.ranJoined()).containsExactly(SHOW, add(2), add(2), add(2));
    assertThat(res.getWarningsList()).hasSize(2).allMatch(w -> w.contains("in progress"));
  }

  @Test
  void exportGaneshaRefusesIsNotLeftOnDisk() throws IOException {
    ScriptedRunner r = new ScriptedRunner().ok(SHOW, LIVE_NONE)
        .on(add(2), 1, "", fixture("ganesha/AddExport-parse-error.stderr"));
    assertThatThrownBy(() -> ops.ensure(new Operation(r, false), vol1())).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("Error while parsing");
    assertThat(files.exportFile(2)).doesNotExist();

    // an update refused: the previous file is back
    ops.ensure(new Operation(notRunning(), false), vol1());
    String update = E + "UpdateExport ss " + files.exportFile(2) + " EXPORT(Export_Id=2)";
    ScriptedRunner u = new ScriptedRunner().ok(SHOW, LIVE_2).on(update, 1, "", "Call failed: nope\n");
    assertThatThrownBy(() -> ops.ensure(new Operation(u, false),
        vol1().toBuilder().setAccess(ExportAccess.EXPORT_ACCESS_RO).build())).isInstanceOf(CommandFailedException.class);
    assertThat(Files.readString(files.exportFile(2))).isEqualTo(fixture("ganesha/export-2.conf"));
  }

  @Test
  void removeLiveThenFileThenNothing() {
    ops.ensure(new Operation(notRunning(), false), vol1());
    String remove = E + "RemoveExport q 2";
    ScriptedRunner r = new ScriptedRunner().ok(SHOW, LIVE_2).ok(remove, fixture("ganesha/RemoveExport.out"));
    OperationResult res = ops.remove(new Operation(r, false),
        RemoveExportRequest.newBuilder().setExportId(2).setPseudoPath("/vol1").build());
    assertThat(res.getChanged()).isTrue();
    assertThat(r.ranJoined()).containsExactly(SHOW, remove);
    assertThat(res.getCommandsList()).extracting(c -> c.getArgvList().get(0)).containsExactly("busctl", "brickyard:remove-file");
    assertThat(files.exportFile(2)).doesNotExist();

    OperationResult again = ops.remove(new Operation(new ScriptedRunner().ok(SHOW, LIVE_NONE), false),
        RemoveExportRequest.newBuilder().setExportId(2).build());
    assertThat(again.getChanged()).isFalse();
  }

  @Test
  void removeRefusesAnotherPseudoPathOrAnExportItDidNotMake() {
    ops.ensure(new Operation(notRunning(), false), vol1());
    assertThatThrownBy(() -> ops.remove(new Operation(new ScriptedRunner().ok(SHOW, LIVE_2), false),
        RemoveExportRequest.newBuilder().setExportId(2).setPseudoPath("/vol9").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("not /vol9; nothing removed");
    assertThat(files.exportFile(2)).exists();

    GaneshaFiles empty = new GaneshaFiles(dir.resolve("x.conf"), dir.resolve("none.d"), dir.resolve("statd.conf"),
        dir.resolve("env"), dir.resolve("unit-env"));
    assertThatThrownBy(() -> new ExportOps(empty).remove(new Operation(new ScriptedRunner().ok(SHOW, LIVE_2), false),
        RemoveExportRequest.newBuilder().setExportId(2).build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("not an export brickyard made");
  }
}
