package io.brickyard.agent.nfs;

import static io.brickyard.agent.testlab.ScriptedRunner.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.ExportAccess;
import io.brickyard.api.agent.v1.ExportClient;
import io.brickyard.api.agent.v1.ExportSquash;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The writer against golden files that a real ganesha 4.3 loaded at start and then listed in
 * ShowExports (fixtures/ganesha/README.md): byte for byte, so any change to the text is a change
 * someone must prove against ganesha again.
 */
class GaneshaConfigTextTest {

  @Test
  void mainFileWithDefaults() {
    CoreParams p = CoreParams.of(EnsureGaneshaConfigRequest.getDefaultInstance());
    assertThat(GaneshaConfigText.main(p, GaneshaFiles.system())).isEqualTo(fixture("ganesha/main-default.conf"));
  }

  @Test
  void mainFileWithNfsv3AndASharedRecoveryRoot() {
    CoreParams p = CoreParams.of(EnsureGaneshaConfigRequest.newBuilder().setGracePeriodSeconds(20)
        .setLeaseLifetimeSeconds(15).addAllMinorVersions(List.of(2, 0, 2)).setNfsv3(true)
        .setRecoveryRoot("/run/brickyard/nfs-state/10.0.0.21").build());
    assertThat(GaneshaConfigText.main(p, GaneshaFiles.system()))
        .isEqualTo(fixture("ganesha/main-v3-shared-recovery.conf"));
    assertThat(p.graceShorterThanLease()).isFalse();
  }

  @Test
  void statdDropInPinsItsPorts() {
    // nfsconf (nfs-utils 2.6.2) reads this file back as port 662, outgoing-port 2020
    assertThat(GaneshaConfigText.statd()).isEqualTo(fixture("ganesha/statd-brickyard.conf"));
  }

  /** NFSv3 writes the statd drop-in next to the main file, once; NFSv4 only never does. */
  @Test
  void nfsv3WritesTheStatdDropInOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    GaneshaFiles files = GaneshaFiles.under(dir);
    io.brickyard.agent.service.ServiceBackend stopped = new io.brickyard.agent.service.ServiceBackend() {
      public String name() {
        return "test";
      }

      public io.brickyard.api.agent.v1.ServiceState status(String unit) {
        return io.brickyard.api.agent.v1.ServiceState.newBuilder().setInstalled(true).build();
      }

      public void ensure(io.brickyard.agent.op.Operation op, String unit, boolean running, boolean enabled,
          boolean restart) {
        throw new AssertionError("no service change asked");
      }
    };
    GaneshaConfigOps ops = new GaneshaConfigOps(files, stopped);
    io.brickyard.common.exec.CommandRunner none = c -> {
      throw new AssertionError("no command expected: " + c.argv());
    };
    ops.ensure(new io.brickyard.agent.op.Operation(none, false), EnsureGaneshaConfigRequest.getDefaultInstance());
    assertThat(files.statdConfig()).doesNotExist();
    var r = ops.ensure(new io.brickyard.agent.op.Operation(none, false),
        EnsureGaneshaConfigRequest.newBuilder().setNfsv3(true).build());
    assertThat(r.getResult().getCommandsList()).extracting(c -> String.join(" ", c.getArgvList())).containsExactly(
        "brickyard:write-file " + files.mainConfig(), "brickyard:write-file " + files.statdConfig());
    assertThat(r.getResult().getWarningsList()).anySatisfy(w -> assertThat(w).contains("restart rpc-statd"));
    assertThat(java.nio.file.Files.readString(files.statdConfig())).isEqualTo(fixture("ganesha/statd-brickyard.conf"));
    assertThat(java.nio.file.Files.readString(files.mainConfig())).contains("MNT_Port = 20048;", "NLM_Port = 32803;",
        "Rquota_Port = 875;", "Enable_RQUOTA = true;");
    var again = ops.ensure(new io.brickyard.agent.op.Operation(none, false),
        EnsureGaneshaConfigRequest.newBuilder().setNfsv3(true).build());
    assertThat(again.getResult().getChanged()).isFalse();
  }

  @Test
  void plainExport() {
    ExportDefinition e = ExportDefinition.of(EnsureExportRequest.newBuilder().setExportId(2).setVolume("vol1")
        .setPseudoPath("/vol1").build());
    assertThat(GaneshaConfigText.export(e)).isEqualTo(fixture("ganesha/export-2.conf"));
  }

  @Test
  void exportWithClientBlocksBothProtocolsAndTheLargestId() {
    ExportDefinition e = ExportDefinition.of(EnsureExportRequest.newBuilder().setExportId(65535).setVolume("vol_2-b")
        .setPseudoPath("/projects/team-a.data").setAccess(ExportAccess.EXPORT_ACCESS_NONE)
        .setSquash(ExportSquash.EXPORT_SQUASH_ALL).addAllProtocols(List.of(4, 3, 4))
        .addClients(ExportClient.newBuilder().addCidrs("10.0.0.0/24").addCidrs("10.0.1.7")
            .setAccess(ExportAccess.EXPORT_ACCESS_RW))
        .addClients(ExportClient.newBuilder().addCidrs("fd00:1::/64").setAccess(ExportAccess.EXPORT_ACCESS_RO))
        .addClients(ExportClient.newBuilder().addCidrs("192.168.5.0/24"))
        .build());
    assertThat(GaneshaConfigText.export(e)).isEqualTo(fixture("ganesha/export-65535-clients.conf"));
  }

  @Test
  void identityIsReadBackFromTheWrittenFiles() {
    assertThat(GaneshaConfigText.identity(fixture("ganesha/export-2.conf")))
        .isEqualTo(new GaneshaConfigText.Identity(Optional.of(2), Optional.of("/vol1"), Optional.of("vol1")));
    assertThat(GaneshaConfigText.identity(fixture("ganesha/export-65535-clients.conf")))
        .isEqualTo(new GaneshaConfigText.Identity(Optional.of(65535), Optional.of("/projects/team-a.data"),
            Optional.of("vol_2-b")));
    // the main file declares neither
    assertThat(GaneshaConfigText.identity(fixture("ganesha/main-default.conf")))
        .isEqualTo(new GaneshaConfigText.Identity(Optional.empty(), Optional.empty(), Optional.empty()));
  }
}
