package io.brickyard.agent.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickyard.agent.Fixtures;
import io.brickyard.agent.op.Operation;
import io.brickyard.agent.op.RefusedException;
import io.brickyard.api.agent.v1.EnsureThinVolumeRequest;
import io.brickyard.api.agent.v1.OperationResult;
import io.brickyard.api.agent.v1.RemoveLogicalVolumeRequest;
import io.brickyard.common.exec.CommandResult;
import io.brickyard.common.exec.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decision logic against the real state captured in the VM (fixtures/lvm): reads answer with the
 * fixture, anything else is recorded and must not run. Real execution is covered by LvmVmTest.
 */
class ThinOpsTest {
  private final List<List<String>> ran = new ArrayList<>();
  private final CommandRunner fixtureRunner = c -> {
    String tool = c.argv().get(0);
    String out = switch (tool) {
      case "lvs" -> Fixtures.read("lvm/lvs.json");
      case "vgs" -> Fixtures.read("lvm/vgs.json");
      case "pvs" -> Fixtures.read("lvm/pvs.json");
      default -> {
        ran.add(c.argv());
        yield "";
      }
    };
    return new CommandResult(c, 0, out, "", Duration.ZERO, false);
  };
  private final ThinOps thin = new ThinOps(new AutoextendProfile(Path.of("/nonexistent")));

  private static EnsureThinVolumeRequest vol(String name, String size, boolean dryRun) {
    return EnsureThinVolumeRequest.newBuilder().setVg("data").setPool("thinpool").setName(name).setVirtualSize(size)
        .setOptions(io.brickyard.api.agent.v1.RequestOptions.newBuilder().setDryRun(dryRun)).build();
  }

  @Test
  void existingVolumeWithSameSizeIsUnchangedButStillWarns() {
    OperationResult r = thin.ensureVolume(new Operation(fixtureRunner, false), vol("vol3", "10G", false));
    assertThat(r.getChanged()).isFalse();
    assertThat(r.getCommandsList()).isEmpty();
    assertThat(r.getWarningsList()).singleElement().asString().contains("13.00 GiB", "4.98 GiB");
    assertThat(ran).isEmpty();
  }

  @Test
  void differentSizeIsRefusedPointingToExtend() {
    assertThatThrownBy(() -> thin.ensureVolume(new Operation(fixtureRunner, false), vol("vol1", "2G", false)))
        .isInstanceOf(RefusedException.class).hasMessageContaining("ExtendLogicalVolume");
    assertThat(ran).isEmpty();
  }

  @Test
  void createdLvsAreTaggedAsBrickyards() {
    assertThat(LvmJson.parseLvs(Fixtures.read("lvm/lvs.json"))).allSatisfy(l -> assertThat(l.ownedByBrickyard()).isTrue());
    assertThat(LvmJson.parseLvs(Fixtures.read("lvm/lvs-foreign.json"))).filteredOn(l -> l.name().equals("foreign"))
        .singleElement().satisfies(l -> assertThat(l.tags()).isEmpty());
  }

  @Test
  void dryRunPlansTheRecipeCommandAndWarnsAboutTheResult() {
    OperationResult r = thin.ensureVolume(new Operation(fixtureRunner, true), vol("vol4", "1G", true));
    assertThat(r.getChanged()).isTrue();
    assertThat(r.getCommandsList()).singleElement().satisfies(c -> {
      assertThat(c.getArgvList()).containsExactly("lvcreate", "--thin", "--virtualsize", "1G", "--addtag", "brickyard", "-n",
          "vol4", "data/thinpool");
      assertThat(c.getPlannedOnly()).isTrue();
    });
    assertThat(r.getWarningsList()).singleElement().asString().contains("14.00 GiB", "vol4 1.00 GiB");
    assertThat(ran).isEmpty();
  }

  @Test
  void missingPoolIsRefused() {
    var req = vol("x", "1G", false).toBuilder().setPool("nopool").build();
    assertThatThrownBy(() -> thin.ensureVolume(new Operation(fixtureRunner, false), req))
        .isInstanceOf(RefusedException.class).hasMessageContaining("EnsureThinPool");
  }

  @Test
  void removeIsResumableAndRefusesOpenLvsAndNonEmptyPools() {
    LvOps lv = new LvOps();
    RemoveLogicalVolumeRequest.Builder rm = RemoveLogicalVolumeRequest.newBuilder().setVg("data");
    assertThat(lv.remove(new Operation(fixtureRunner, false), rm.setName("gone").build()).getChanged()).isFalse();
    assertThatThrownBy(() -> lv.remove(new Operation(fixtureRunner, false), rm.setName("vol1").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("open");
    assertThatThrownBy(() -> lv.remove(new Operation(fixtureRunner, false), rm.setName("thinpool").build()))
        .isInstanceOf(RefusedException.class).hasMessageContaining("vol1");
    OperationResult r = lv.remove(new Operation(fixtureRunner, false), rm.setName("vol3").build());
    assertThat(r.getChanged()).isTrue();
    assertThat(ran).containsExactly(List.of("lvremove", "-y", "data/vol3"));
  }

  @Test
  void anLvBrickyardDidNotCreateIsNeverRemoved() {
    // lvs-foreign.json: the VM's recipe LVs (tagged "brickyard") plus "foreign", made by hand, untagged.
    CommandRunner withForeign = c -> new CommandResult(c, 0,
        c.argv().get(0).equals("lvs") ? Fixtures.read("lvm/lvs-foreign.json") : record(c), "", Duration.ZERO, false);
    RemoveLogicalVolumeRequest req = RemoveLogicalVolumeRequest.newBuilder().setVg("data").setName("foreign").build();
    assertThatThrownBy(() -> new LvOps().remove(new Operation(withForeign, false), req))
        .isInstanceOf(RefusedException.class).hasMessageContaining("no 'brickyard' tag")
        .hasMessageContaining("lvchange --addtag brickyard data/foreign");
    assertThat(ran).isEmpty();
  }

  private String record(io.brickyard.common.exec.Command c) {
    ran.add(c.argv());
    return "";
  }

  @Test
  void badNamesAreInvalidArguments() {
    assertThatThrownBy(() -> thin.ensureVolume(new Operation(fixtureRunner, false), vol("-x", "1G", false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> thin.ensureVolume(new Operation(fixtureRunner, false), vol("v", "100%FREE", false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("virtual_size");
  }
}
