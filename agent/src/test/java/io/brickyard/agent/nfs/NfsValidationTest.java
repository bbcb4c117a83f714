package io.brickyard.agent.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.api.agent.v1.EnsureExportRequest;
import io.brickyard.api.agent.v1.EnsureGaneshaConfigRequest;
import io.brickyard.api.agent.v1.ExportClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every request value is hostile until checked: each refusal names the field, and nothing that
 * could end a quoted string, a statement or a block in ganesha's syntax gets through.
 */
class NfsValidationTest {
  private static EnsureExportRequest.Builder export() {
    return EnsureExportRequest.newBuilder().setExportId(2).setVolume("vol1").setPseudoPath("/vol1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65536, -1})
  void exportIdOutsideOneTo65535(int id) {
    assertThatThrownBy(() -> ExportDefinition.of(export().setExportId(id).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("export_id: Export_Id must be 1..65535");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "vol1", "/vol1/", "//vol1", "/a/../b", "/a/./b", "/-x", "/vol1\"; }",
      "/vol1\nEXPORT { Export_Id = 9; }", "/vol 1", "/vol1;", "/vol1#", "/a/{b}", "/ü"})
  void pseudoPathsThatAreNotPlainAbsolutePaths(String pseudo) {
    assertThatThrownBy(() -> ExportDefinition.of(export().setPseudoPath(pseudo).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pseudo_path: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "vol\"1", "vol1; }", "-vol", "all", "vol/1"})
  void volumeNamesGlusterWouldRefuseOrThatBreakTheSyntax(String volume) {
    assertThatThrownBy(() -> ExportDefinition.of(export().setVolume(volume).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("volume: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1/24", "10.0.0.0/24; Access_Type = RW", "10.0.0.0/24\n}", "*", "host.example",
      "10.0.0.0/33", "010.0.0.0/8", "@netgroup"})
  void clientsMustBeAddressesOrNetworkAddresses(String cidr) {
    assertThatThrownBy(() -> ExportDefinition.of(export().addClients(ExportClient.newBuilder().addCidrs("10.1.0.0/16")
        .addCidrs(cidr)).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clients[0].cidrs[1]: ");
  }

  @Test
  void aClientBlockNeedsAnAddress() {
    assertThatThrownBy(() -> ExportDefinition.of(export().addClients(ExportClient.getDefaultInstance()).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clients[0].cidrs: ");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 9, 0})
  void onlyNfs3And4(int version) {
    assertThatThrownBy(() -> ExportDefinition.of(export().addProtocols(version).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("protocols: ");
  }

  @Test
  void coreParametersWithinGaneshasRanges() {
    assertThatThrownBy(() -> CoreParams.of(EnsureGaneshaConfigRequest.newBuilder().setGracePeriodSeconds(181).build()))
        .hasMessageStartingWith("grace_period_seconds: must be 1..180");
    assertThatThrownBy(() -> CoreParams.of(EnsureGaneshaConfigRequest.newBuilder().setLeaseLifetimeSeconds(121).build()))
        .hasMessageStartingWith("lease_lifetime_seconds: must be 1..120");
    assertThatThrownBy(() -> CoreParams.of(EnsureGaneshaConfigRequest.newBuilder().addMinorVersions(3).build()))
        .hasMessageStartingWith("minor_versions: 3");
    assertThat(CoreParams.of(EnsureGaneshaConfigRequest.newBuilder().setGracePeriodSeconds(30).build())
        .graceShorterThanLease()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"var/lib/nfs", "/var/lib/../etc", "/var/lib/nfs/", "/var/lib/\"x", "/a b", "/a;b",
      "/a\n}", "/"})
  void recoveryRootAbsoluteNormalizedAndQuoteSafe(String root) {
    assertThatThrownBy(() -> CoreParams.of(EnsureGaneshaConfigRequest.newBuilder().setRecoveryRoot(root).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("recovery_root: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0.0/24", "10.0.0.1:2049", "-10.0.0.1", "gluster1", "10.0.0.1\n", "1.2.3.256"})
  void graceAddressIsOneIpAddress(String address) {
    assertThatThrownBy(() -> GraceOps.address(address))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("address: ");
  }

  @Test
  void graceAddressesAccepted() {
    assertThat(GraceOps.address("10.231.8.1")).isEqualTo("10.231.8.1");
    assertThat(GraceOps.address("fd00::7")).isEqualTo("fd00::7");
  }
}
